package io.sparkvae.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkvae.io.BadInputException;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** Every colour type and format javax.imageio reads, written here by ImageIO's own encoders, decoded to exact ARGB. */
class ImageDecoderTest {

    @Test
    void rgbaPngKeepsColourAndAlpha() {
        BufferedImage img = new BufferedImage(3, 2, BufferedImage.TYPE_INT_ARGB);
        img.setRGB(0, 0, 0x80FF0000);
        img.setRGB(2, 1, 0xFF102030);
        ArgbImage d = ImageDecoder.decode(encode(img, "png"), "a.png");
        assertEquals(3, d.width());
        assertEquals(2, d.height());
        assertEquals(0x80FF0000, d.pixel(0, 0));
        assertEquals(0xFF102030, d.pixel(2, 1));
        assertEquals(0, d.pixel(1, 0) >>> 24, "untouched pixels are transparent");
    }

    @Test
    void palettePngWithTransparencyTakesAlphaFromThePalette() {
        byte[] r = {0, (byte) 200};
        byte[] g = {0, 100};
        byte[] b = {0, 50};
        byte[] a = {0, (byte) 128};
        BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(8, 2, r, g, b, a));
        img.getRaster().setSample(1, 0, 0, 1);
        ArgbImage d = ImageDecoder.decode(encode(img, "png"), "p.png");
        assertEquals(0x00000000, d.pixel(0, 0));
        assertEquals(0x80C86432, d.pixel(1, 0));
    }

    @Test
    void greyPngsKeepTheirLevelsAt8And16Bits() {
        BufferedImage grey = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setSample(0, 0, 0, 128);
        assertEquals(0xFF808080, ImageDecoder.decode(encode(grey, "png"), "g8.png").pixel(0, 0), "not brightened to 188");

        BufferedImage grey16 = new BufferedImage(2, 1, BufferedImage.TYPE_USHORT_GRAY);
        grey16.getRaster().setSample(0, 0, 0, 0x8080);
        grey16.getRaster().setSample(1, 0, 0, 65535);
        ArgbImage d = ImageDecoder.decode(encode(grey16, "png"), "g16.png");
        assertEquals(0xFF808080, d.pixel(0, 0));
        assertEquals(0xFFFFFFFF, d.pixel(1, 0));

        ColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_GRAY), true, false,
                ColorModel.TRANSLUCENT, DataBuffer.TYPE_BYTE);
        WritableRaster raster = cm.createCompatibleWritableRaster(1, 1);
        raster.setSample(0, 0, 0, 128);
        raster.setSample(0, 0, 1, 200);
        assertEquals(0xC8808080, ImageDecoder.decode(encode(new BufferedImage(cm, raster, false, null), "png"), "ga.png").pixel(0, 0));
    }

    @Test
    void sixteenBitRgbaPngIsReducedTo8Bits() {
        ColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), true, false,
                ColorModel.TRANSLUCENT, DataBuffer.TYPE_USHORT);
        WritableRaster raster = cm.createCompatibleWritableRaster(1, 1);
        raster.setPixel(0, 0, new int[] {65535, 0x8080, 0, 65535});
        ArgbImage d = ImageDecoder.decode(encode(new BufferedImage(cm, raster, false, null), "png"), "rgba16.png");
        assertEquals(0xFFFF8000, d.pixel(0, 0));
    }

    @Test
    void jpegGifAndBmpDecode() {
        BufferedImage img = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
                img.setRGB(x, y, x < 8 ? 0xFFFFFF : 0x000000);
            }
        }
        for (String format : new String[] {"jpg", "gif", "bmp"}) {
            ArgbImage d = ImageDecoder.decode(encode(img, format), "x." + format);
            assertEquals(16, d.width(), format);
            // JPEG is lossy: white stays near white, black near black.
            assertTrue((d.pixel(2, 2) & 0xFF) > 240, format + " white side");
            assertTrue((d.pixel(13, 13) & 0xFF) < 15, format + " black side");
            assertEquals(0xFF, d.pixel(13, 13) >>> 24, format + " opaque");
        }
        BufferedImage grey = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setSample(3, 3, 0, 128);
        int level = ImageDecoder.decode(encode(grey, "jpg"), "g.jpg").pixel(0, 0) & 0xFF;
        assertTrue(level < 40, "a grey JPEG keeps its dark levels (linear-grey conversion would lift them): " + level);
    }

    @Test
    void badBytesAreRefusedInOneLineNamingTheFile() {
        byte[] png = encode(new BufferedImage(40, 40, BufferedImage.TYPE_INT_ARGB), "png");
        expectBad(() -> ImageDecoder.decode("just text".getBytes(), "notes.png"), "notes.png: not an image javax.imageio can decode");
        expectBad(() -> ImageDecoder.decode(new byte[0], "empty.png"), "empty.png: empty file, not an image");
        expectBad(() -> ImageDecoder.decode(Arrays.copyOf(png, png.length - 30), "cut.png"), "cut.png: unreadable PNG image");
        byte[] jpg = encode(new BufferedImage(40, 40, BufferedImage.TYPE_INT_RGB), "jpg");
        expectBad(() -> ImageDecoder.decode(Arrays.copyOf(jpg, 20), "cut.jpg"), "cut.jpg: unreadable JPEG image");
    }

    @Test
    void anAbsurdlyLargeHeaderIsRefusedBeforeDecoding() {
        byte[] png = encode(new BufferedImage(1, 1, BufferedImage.TYPE_INT_ARGB), "png");
        // IHDR width and height start at bytes 16 and 20; 60000 x 60000 is far above the pixel limit.
        byte[] huge = png.clone();
        for (int off : new int[] {16, 20}) {
            huge[off] = 0;
            huge[off + 1] = 0;
            huge[off + 2] = (byte) 0xEA;
            huge[off + 3] = 0x60;
        }
        expectBad(() -> ImageDecoder.decode(huge, "huge.png"), "huge.png: ");
    }

    static byte[] encode(BufferedImage img, String format) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertTrue(ImageIO.write(img, format, out), "no " + format + " writer for this image type");
            return out.toByteArray();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static void expectBad(org.junit.jupiter.api.function.Executable call, String prefix) {
        BadInputException e = assertThrows(BadInputException.class, call);
        assertTrue(e.getMessage().startsWith(prefix), () -> "message was: " + e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "message must be one line");
    }
}

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
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** The generic sprite-sheet slicer, on the real punk sheet (through its preset grid) and on sheets built here. */
class SpriteSheetTest {

    private static byte[] png;
    private static SpriteSheet sheet;
    /** The same sheet read independently of SpriteSheet, for per-pixel comparison. */
    private static BufferedImage reference;

    /** Reads the real sheet on first use, so that the tests without data ({@code -Pquick}) never need it. */
    private static void load() throws IOException {
        if (png == null) {
            png = RawData.bytes("punks/punks.png");
            sheet = PunkSheet.decode(png, "punks.png");
            reference = ImageIO.read(RawData.path("punks/punks.png").toFile());
        }
    }

    @Test
    @Tag(RawData.TAG)
    void realSheetSlicesPixelExactly() throws IOException {
        load();
        assertEquals(2400, reference.getWidth());
        assertEquals(2400, reference.getHeight());
        for (int index : new int[] {0, 1, 99, 100, 5432, 9999}) {
            float[] tile = sheet.tile(index);
            assertEquals(PunkSheet.SHAPE.size(), tile.length);
            int x0 = (index % 100) * 24;
            int y0 = (index / 100) * 24;
            int opaque = 0;
            for (int y = 0; y < 24; y++) {
                for (int x = 0; x < 24; x++) {
                    int p = reference.getRGB(x0 + x, y0 + y);
                    int a = p >>> 24;
                    opaque += a == 255 ? 1 : 0;
                    int[] rgb = {p >> 16 & 0xFF, p >> 8 & 0xFF, p & 0xFF};
                    for (int c = 0; c < 3; c++) {
                        float expected = (rgb[c] * a) / 65025f;
                        float got = tile[(y * 24 + x) * 3 + c];
                        assertEquals(expected, got, "punk " + index + " pixel (" + x + "," + y + ") channel " + c);
                        assertTrue(got >= 0f && got <= 1f);
                    }
                }
            }
            assertTrue(opaque > 50, "punk " + index + " should be a drawn punk, not an empty tile");
        }
    }

    @Test
    @Tag(RawData.TAG)
    void transparentBackgroundOfPunkZeroIsExactlyBlack() throws IOException {
        load();
        float[] tile = sheet.tile(0);
        int background = 0;
        for (int y = 0; y < 24; y++) {
            for (int x = 0; x < 24; x++) {
                if (reference.getRGB(x, y) >>> 24 == 0) {
                    background++;
                    for (int c = 0; c < 3; c++) {
                        assertEquals(0f, tile[(y * 24 + x) * 3 + c], "background pixel (" + x + "," + y + ")");
                    }
                }
            }
        }
        assertTrue(background > 200, "punk 0 has a transparent background, found " + background + " pixels");
        assertEquals(0f, tile[0]); // the top-left corner is background
    }

    @Test
    @Tag(RawData.TAG)
    void indexOutOfRangeIsRefused() throws IOException {
        load();
        assertThrows(IllegalArgumentException.class, () -> sheet.tile(-1));
        assertThrows(IllegalArgumentException.class, () -> sheet.tile(10000));
    }

    @Test
    void tooSmallASheetIsRefusedNamingTheFileAndTheNeededSize(@TempDir Path dir) throws IOException {
        Path small = dir.resolve("small-sheet.png");
        ImageIO.write(new BufferedImage(48, 48, BufferedImage.TYPE_INT_ARGB), "png", small.toFile());
        expectBad(() -> PunkSheet.decode(Files.readAllBytes(small), small.getFileName().toString()),
                "small-sheet.png: sprite sheet of 48x48 pixels is too small for 10000 tiles of 24x24 in 100 columns"
                        + " (needs at least 2400x2400)");
    }

    @Test
    @Tag(RawData.TAG)
    void corruptBytesAreRefused() throws IOException {
        load();
        expectBad(() -> PunkSheet.decode(Arrays.copyOf(png, png.length / 2), "half.png"), "half.png: unreadable PNG image");
        byte[] noise = new byte[4096];
        new Random(7).nextBytes(noise);
        expectBad(() -> PunkSheet.decode(noise, "noise.png"), "noise.png: not an image javax.imageio can decode");
        // Noise behind a valid signature reaches the decoder itself.
        byte[] signedNoise = noise.clone();
        System.arraycopy(png, 0, signedNoise, 0, 8);
        expectBad(() -> PunkSheet.decode(signedNoise, "signed-noise.png"), "signed-noise.png: unreadable PNG image");
        expectBad(() -> PunkSheet.decode(new byte[0], "empty.png"), "empty.png: empty file, not an image");
    }

    @Test
    void columnMajorGridsGreyTilesAndABackgroundColour() throws IOException {
        // A 3x2 grid of 2x1 tiles, 5 tiles, numbered column by column: tile i has red level 10*(i+1) in its left pixel.
        BufferedImage img = new BufferedImage(6, 2, BufferedImage.TYPE_INT_ARGB);
        SpriteGrid grid = new SpriteGrid(2, 1, 3, 5, true);
        assertEquals(2, grid.rows());
        for (int i = 0; i < 5; i++) {
            img.setRGB(grid.x(i), grid.y(i), 0xFF000000 | (10 * (i + 1)) << 16);
        }
        SpriteSheet rgb = SpriteSheet.decode(write(img), "grid.png", grid, 3, 0x0000FF);
        assertEquals(new ImageShape(1, 2, 3), rgb.shape());
        for (int i = 0; i < 5; i++) {
            float[] t = rgb.tile(i);
            assertEquals(10 * (i + 1) / 255f, t[0], "tile " + i + " left red");
            assertEquals(0f, t[2], "tile " + i + " left pixel is opaque: no background blue");
            assertEquals(1f, t[5], "tile " + i + " right pixel is transparent: background blue");
        }
        // Tile 1 is the second of the first column: row 1, column 0.
        assertEquals(0, grid.x(1));
        assertEquals(1, grid.y(1));
        SpriteSheet grey = SpriteSheet.decode(write(img), "grid.png", grid, 1, 0xFFFFFF);
        assertEquals(new ImageShape(1, 2, 1), grey.shape());
        assertEquals((float) (0.299 * 30 / 255f), grey.tile(2)[0], 1e-6);
        assertEquals(1f, grey.tile(2)[1], "transparent over white is white");
    }

    @Test
    void paletteSheetWithTransparencyDecodes() throws IOException {
        // PNG colour type 3 with a tRNS chunk: colours come from the palette, alpha from tRNS.
        byte[] r = {0, (byte) 200, 10, (byte) 255};
        byte[] g = {0, 100, 20, (byte) 255};
        byte[] b = {0, 50, 30, (byte) 255};
        byte[] a = {0, (byte) 255, (byte) 128, (byte) 255};
        BufferedImage img = new BufferedImage(2400, 2400, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(8, 4, r, g, b, a));
        WritableRaster raster = img.getRaster();
        raster.setSample(24 + 0, 0, 0, 1);   // punk 1, pixel (0,0): opaque (200,100,50)
        raster.setSample(24 + 1, 0, 0, 2);   // punk 1, pixel (1,0): half-transparent (10,20,30)
        raster.setSample(24 + 2, 0, 0, 3);   // punk 1, pixel (2,0): opaque white
        float[] tile = PunkSheet.decode(write(img), "palette.png").tile(1);
        assertPixel(tile, 0, 200, 100, 50, 255);
        assertPixel(tile, 1, 10, 20, 30, 128);
        assertPixel(tile, 2, 255, 255, 255, 255);
        assertPixel(tile, 3, 0, 0, 0, 0);
    }

    @Test
    void greySheetKeepsItsGreyLevels() throws IOException {
        // Java decodes grey PNGs into a linear grey space where getRGB would turn 128 into 188.
        BufferedImage grey = new BufferedImage(2400, 2400, BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setSample(0, 0, 0, 128);
        float[] tile = PunkSheet.decode(write(grey), "grey.png").tile(0);
        assertPixel(tile, 0, 128, 128, 128, 255);
        assertPixel(tile, 1, 0, 0, 0, 255);

        ColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_GRAY), true, false,
                ColorModel.TRANSLUCENT, DataBuffer.TYPE_BYTE);
        WritableRaster raster = cm.createCompatibleWritableRaster(2400, 2400);
        raster.setSample(0, 0, 0, 128);
        raster.setSample(0, 0, 1, 200);
        BufferedImage greyAlpha = new BufferedImage(cm, raster, false, null);
        tile = PunkSheet.decode(write(greyAlpha), "grey-alpha.png").tile(0);
        assertPixel(tile, 0, 128, 128, 128, 200);
        assertPixel(tile, 1, 0, 0, 0, 0);
    }

    @Test
    @Tag(RawData.TAG)
    void valuesAreSerializable() throws IOException, ClassNotFoundException {
        load();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(sheet);
            out.writeObject(PunkSheet.SHAPE);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            SpriteSheet copy = (SpriteSheet) in.readObject();
            assertTrue(Arrays.equals(sheet.tile(5432), copy.tile(5432)));
            assertEquals(PunkSheet.SHAPE, in.readObject());
        }
    }

    private static void assertPixel(float[] tile, int pixel, int r, int g, int b, int a) {
        int[] rgb = {r, g, b};
        for (int c = 0; c < 3; c++) {
            assertEquals((rgb[c] * a) / 65025f, tile[pixel * 3 + c], "pixel " + pixel + " channel " + c);
        }
    }

    private static byte[] write(BufferedImage img) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(img, "png", out), "no PNG writer for this image type");
        return out.toByteArray();
    }

    private static void expectBad(Executable call, String prefix) {
        BadInputException e = assertThrows(BadInputException.class, call);
        assertTrue(e.getMessage().startsWith(prefix), () -> "message was: " + e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "message must be one line");
    }
}

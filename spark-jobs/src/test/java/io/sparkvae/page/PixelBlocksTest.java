package io.sparkvae.page;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkvae.image.TileGrid;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** A picture drawn at scale k goes into the page at 1x, pixel for pixel; anything else goes in as it is. */
class PixelBlocksTest {

    @Test
    void aScaledUpPictureShipsAtOneXAndScalesBackToTheSamePixels() throws Exception {
        for (int type : new int[] {BufferedImage.TYPE_3BYTE_BGR, BufferedImage.TYPE_BYTE_GRAY}) {
            BufferedImage small = noise(7, 5, type);
            BufferedImage big = scaledUp(small, 4, type);
            PagePicture shown = PixelBlocks.shrunk(new PagePicture("render", "x.png", "x", TileGrid.png(big)), 4);
            assertEquals(28, shown.width());
            assertEquals(20, shown.height());
            BufferedImage shipped = ImageIO.read(new ByteArrayInputStream(shown.png()));
            assertEquals(7, shipped.getWidth());
            assertEquals(5, shipped.getHeight());
            // what the browser shows with nearest-neighbour scaling: the picture as it was drawn
            assertArrayEquals(pixels(big), pixels(scaledUp(shipped, 4, type)), "type " + type);
        }
    }

    @Test
    void aPictureWithDetailFinerThanItsScaleOrNoPngStaysWhole() {
        BufferedImage big = scaledUp(noise(6, 6, BufferedImage.TYPE_3BYTE_BGR), 3, BufferedImage.TYPE_3BYTE_BGR);
        int[] p = big.getRaster().getPixel(4, 7, (int[]) null);
        p[0] ^= 1; // one pixel inside a block differs by one level (a caption's edge)
        big.getRaster().setPixel(4, 7, p);
        PagePicture whole = new PagePicture("render", "x.png", "x", TileGrid.png(big));
        assertSame(whole, PixelBlocks.shrunk(whole, 3));
        assertSame(whole, PixelBlocks.shrunk(whole, 4), "18 pixels are not blocks of 4");
        assertSame(whole, PixelBlocks.shrunk(whole, 1));
        PagePicture notPng = new PagePicture("render", "y.png", "y", new byte[] {1, 2, 3});
        assertSame(notPng, PixelBlocks.shrunk(notPng, 4));
        assertTrue(whole.width() == 0 && whole.height() == 0, "shown at its own size");
    }

    @Test
    void aNeutralRgbImageIsStoredAsGreyWithTheSameLevels() throws Exception {
        BufferedImage rgb = new BufferedImage(5, 4, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < 20; i++) {
            int v = i * 13;
            rgb.setRGB(i % 5, i / 5, v << 16 | v << 8 | v);
        }
        BufferedImage back = ImageIO.read(new ByteArrayInputStream(PixelBlocks.png(rgb)));
        assertEquals(BufferedImage.TYPE_BYTE_GRAY, back.getType());
        for (int i = 0; i < 20; i++) {
            assertEquals(i * 13, back.getRaster().getSample(i % 5, i / 5, 0));
        }
        rgb.setRGB(2, 2, 0x102030);
        assertEquals(BufferedImage.TYPE_3BYTE_BGR, ImageIO.read(new ByteArrayInputStream(PixelBlocks.png(rgb))).getType(),
                "one coloured pixel keeps it RGB");
    }

    private static BufferedImage noise(int w, int h, int type) {
        Random r = new Random(w * 31L + h + type);
        BufferedImage img = new BufferedImage(w, h, type);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, r.nextInt(0x1000000));
            }
        }
        return img;
    }

    private static BufferedImage scaledUp(BufferedImage img, int k, int type) {
        BufferedImage out = new BufferedImage(img.getWidth() * k, img.getHeight() * k, type);
        int[] pixel = new int[img.getRaster().getNumBands()];
        for (int y = 0; y < out.getHeight(); y++) {
            for (int x = 0; x < out.getWidth(); x++) {
                out.getRaster().setPixel(x, y, img.getRaster().getPixel(x / k, y / k, pixel));
            }
        }
        return out;
    }

    private static int[] pixels(BufferedImage img) {
        return img.getRaster().getPixels(0, 0, img.getWidth(), img.getHeight(), (int[]) null);
    }
}

package io.sparkvae.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Bringing decoded images to the target shape: each resize mode, the background, luminance. */
class ImageTargetTest {

    /** A w x h opaque image whose pixels come from {@code argb(x, y)}. */
    private static ArgbImage image(int w, int h, java.util.function.IntBinaryOperator argb) {
        int[] p = new int[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                p[y * w + x] = argb.applyAsInt(x, y);
            }
        }
        return new ArgbImage(w, h, p);
    }

    @Test
    void theTargetSizeIsCompositedExactlyWhateverTheMode() {
        ArgbImage img = image(2, 1, (x, y) -> x == 0 ? 0x80FF0000 : 0x00000000);
        for (Resize r : Resize.values()) {
            float[] px = new ImageTarget(2, 1, 3, r, 0x0000FF).pixels(img);
            assertArrayEquals(new float[] {Compositing.over(255, 128, 0), 0, Compositing.over(0, 128, 255), 0, 0, 1}, px, r.name());
        }
    }

    @Test
    void noneRefusesOtherSizes() {
        ImageTarget t = new ImageTarget(4, 4, 1, Resize.NONE, 0);
        ArgbImage img = image(4, 5, (x, y) -> 0xFFFFFFFF);
        assertFalse(t.hasSize(img));
        assertThrows(IllegalArgumentException.class, () -> t.pixels(img));
    }

    @Test
    void stretchFillsTheTargetIgnoringTheAspectRatio() {
        // Left half white, right half black, 8x2 stretched to 4x4: still left white, right black.
        float[] px = new ImageTarget(4, 4, 1, Resize.STRETCH, 0x808080).pixels(image(8, 2, (x, y) -> x < 4 ? 0xFFFFFFFF : 0xFF000000));
        for (int y = 0; y < 4; y++) {
            assertEquals(1f, px[y * 4], "left column row " + y);
            assertEquals(0f, px[y * 4 + 3], "right column row " + y);
        }
    }

    @Test
    void fitKeepsTheAspectRatioAndPadsWithTheBackground() {
        // A white 8x4 image fitted into 4x4: 4x2 of white centred, the top and bottom rows background grey.
        float[] px = new ImageTarget(4, 4, 1, Resize.FIT, 0x808080).pixels(image(8, 4, (x, y) -> 0xFFFFFFFF));
        float grey = 128 / 255f;
        for (int x = 0; x < 4; x++) {
            assertEquals(grey, px[x], "top row is padding");
            assertEquals(1f, px[4 + x], "second row is image");
            assertEquals(1f, px[8 + x], "third row is image");
            assertEquals(grey, px[12 + x], "bottom row is padding");
        }
    }

    @Test
    void cropFillsTheTargetAndCutsTheLongSide() {
        // 12x4: left third red, middle green, right blue; cropped to 4x4 only the green middle is left.
        ArgbImage img = image(12, 4, (x, y) -> x < 4 ? 0xFFFF0000 : x < 8 ? 0xFF00FF00 : 0xFF0000FF);
        float[] px = new ImageTarget(4, 4, 3, Resize.CROP, 0).pixels(img);
        for (int i = 0; i < 16; i++) {
            assertEquals(0f, px[i * 3], "no red at pixel " + i);
            assertEquals(1f, px[i * 3 + 1], "green at pixel " + i);
            assertEquals(0f, px[i * 3 + 2], "no blue at pixel " + i);
        }
    }

    @Test
    void aLargeDownscaleAveragesEverySourcePixel() {
        // A 64x64 one-pixel checkerboard shrunk to 4x4 is mid grey everywhere (sampling a few pixels would give
        // black or white).
        float[] px = new ImageTarget(4, 4, 1, Resize.STRETCH, 0).pixels(image(64, 64, (x, y) -> (x + y) % 2 == 0 ? 0xFFFFFFFF : 0xFF000000));
        for (float v : px) {
            assertEquals(0.5f, v, 0.02f);
        }
    }

    @Test
    void transparencyShowsTheBackgroundAfterScaling() {
        float[] px = new ImageTarget(2, 2, 3, Resize.STRETCH, 0xFFFFFF).pixels(image(8, 8, (x, y) -> 0x00000000));
        for (float v : px) {
            assertEquals(1f, v);
        }
    }

    @Test
    void upscalingAndColourToLuminance() {
        float[] px = new ImageTarget(8, 8, 1, Resize.FIT, 0).pixels(image(2, 2, (x, y) -> 0xFF00FF00));
        for (float v : px) {
            assertEquals(0.587f, v, 0.005f, "pure green's luminance");
        }
        assertEquals(1f, Compositing.luma(1f, 1f, 1f));
        assertEquals(0.25f, Compositing.luma(0.25f, 0.25f, 0.25f), "grey keeps its value exactly");
    }

    @Test
    void coloursParse() {
        assertEquals(0x102030, Compositing.parseColour("#102030"));
        assertEquals(0xFFFFFF, Compositing.parseColour("white"));
        assertEquals(0, Compositing.parseColour("black"));
        assertThrows(IllegalArgumentException.class, () -> Compositing.parseColour("#12345"));
        assertThrows(IllegalArgumentException.class, () -> Compositing.parseColour("teal"));
        assertEquals(Resize.FIT, Resize.parse("fit"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Resize.parse("zoom"));
        assertTrue(e.getMessage().contains("none, stretch, fit, crop"), e.getMessage());
    }
}

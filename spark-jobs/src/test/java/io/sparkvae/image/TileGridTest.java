package io.sparkvae.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sparkvae.data.ImageShape;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class TileGridTest {
    private static final ImageShape RGB_2X3 = new ImageShape(2, 3, 3);

    private static float[] solid(float r, float g, float b) {
        float[] t = new float[RGB_2X3.size()];
        for (int i = 0; i < t.length; i += 3) {
            t[i] = r;
            t[i + 1] = g;
            t[i + 2] = b;
        }
        return t;
    }

    @Test
    void tilesLandInRowMajorCellsAtIntegerScaleWithGaps() {
        BufferedImage img = TileGrid.compose(List.of(solid(1, 0, 0), solid(0, 1, 0), solid(0, 0, 1)), RGB_2X3, 2, 2, 3, 1);
        assertEquals(2 * 9 + 1, img.getWidth());
        assertEquals(2 * 6 + 1, img.getHeight());
        assertEquals(0xFF0000, img.getRGB(0, 0) & 0xFFFFFF);
        assertEquals(0xFF0000, img.getRGB(8, 5) & 0xFFFFFF); // last pixel of cell 0
        assertEquals(0x000000, img.getRGB(9, 0) & 0xFFFFFF); // the gap
        assertEquals(0x00FF00, img.getRGB(10, 0) & 0xFFFFFF);
        assertEquals(0x0000FF, img.getRGB(0, 7) & 0xFFFFFF);
        assertEquals(0x000000, img.getRGB(10, 7) & 0xFFFFFF); // the empty fourth cell
    }

    @Test
    void greyscaleAndClampingAndNearestNeighbour() {
        ImageShape grey = new ImageShape(1, 2, 1);
        BufferedImage img = TileGrid.compose(List.of(new float[] {0.5f, 2f}), grey, 1, 1, 2, 0);
        assertEquals(0x808080, img.getRGB(0, 0) & 0xFFFFFF);
        assertEquals(0x808080, img.getRGB(1, 1) & 0xFFFFFF);
        assertEquals(0xFFFFFF, img.getRGB(2, 0) & 0xFFFFFF);
    }

    @Test
    void pngBytesDecodeToTheSameImage() throws Exception {
        BufferedImage img = TileGrid.compose(List.of(solid(0.2f, 0.4f, 0.6f)), RGB_2X3, 1, 1, 1, 0);
        BufferedImage back = ImageIO.read(new ByteArrayInputStream(TileGrid.png(img)));
        assertEquals(img.getRGB(1, 1), back.getRGB(1, 1));
        assertEquals(3, back.getWidth());
    }

    @Test
    void refusesMoreTilesThanCellsAndWrongSizes() {
        assertThrows(IllegalArgumentException.class, () -> TileGrid.compose(List.of(solid(0, 0, 0), solid(0, 0, 0)), RGB_2X3, 1, 1, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> TileGrid.compose(List.of(new float[5]), RGB_2X3, 1, 1, 1, 0));
    }
}

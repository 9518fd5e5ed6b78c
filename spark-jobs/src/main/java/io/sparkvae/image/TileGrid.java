package io.sparkvae.image;

import io.sparkvae.data.ImageShape;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Lays out image tiles (HWC floats in [0,1]) as a grid at an integer scale, nearest-neighbour (no blurring),
 * and encodes PNGs. Pure: no I/O beyond bytes.
 */
public final class TileGrid {
    private TileGrid() {}

    /**
     * Composes tiles row-major into a grid; empty cells (when tiles run out) stay black.
     *
     * @param gap pixels of black between cells (at output scale); 0 gives a borderless contact sheet
     */
    public static BufferedImage compose(List<float[]> tiles, ImageShape shape, int columns, int rows, int scale, int gap) {
        if (columns < 1 || rows < 1 || scale < 1 || gap < 0) {
            throw new IllegalArgumentException("bad grid " + columns + "x" + rows + " scale " + scale + " gap " + gap);
        }
        if (tiles.size() > columns * rows) {
            throw new IllegalArgumentException(tiles.size() + " tiles do not fit a " + columns + "x" + rows + " grid");
        }
        int cellW = shape.width() * scale;
        int cellH = shape.height() * scale;
        BufferedImage img = new BufferedImage(
                columns * cellW + (columns - 1) * gap, rows * cellH + (rows - 1) * gap, BufferedImage.TYPE_INT_RGB);
        for (int t = 0; t < tiles.size(); t++) {
            float[] tile = tiles.get(t);
            if (tile.length != shape.size()) {
                throw new IllegalArgumentException("tile " + t + " has " + tile.length + " values, expected " + shape.size());
            }
            int x0 = (t % columns) * (cellW + gap);
            int y0 = (t / columns) * (cellH + gap);
            for (int y = 0; y < shape.height(); y++) {
                for (int x = 0; x < shape.width(); x++) {
                    int rgb = rgbAt(tile, shape, y, x);
                    for (int dy = 0; dy < scale; dy++) {
                        for (int dx = 0; dx < scale; dx++) {
                            img.setRGB(x0 + x * scale + dx, y0 + y * scale + dy, rgb);
                        }
                    }
                }
            }
        }
        return img;
    }

    /** Packs one pixel of an HWC tile as 0xRRGGBB; one channel is grey. */
    static int rgbAt(float[] tile, ImageShape shape, int y, int x) {
        int base = (y * shape.width() + x) * shape.channels();
        int r = toByte(tile[base]);
        if (shape.channels() == 1) {
            return (r << 16) | (r << 8) | r;
        }
        return (r << 16) | (toByte(tile[base + 1]) << 8) | toByte(tile[base + 2]);
    }

    private static int toByte(float v) {
        if (!(v >= 0f)) {
            return 0; // negative or NaN
        }
        return v >= 1f ? 255 : Math.round(v * 255f);
    }

    public static byte[] png(BufferedImage img) {
        try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            if (!ImageIO.write(img, "png", out)) {
                throw new IOException("no PNG writer");
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode PNG", e);
        }
    }
}

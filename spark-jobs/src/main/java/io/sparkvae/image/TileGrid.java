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

    /**
     * {@code grid} (cells of equal size, no gaps) with a white caption band of {@code bandHeight} pixels under every
     * {@code rowsPerBand}-th row of cells; caption {@code c} is centred under column {@code c % columns} of band
     * {@code c / columns}.
     */
    public static BufferedImage captioned(BufferedImage grid, int columns, int rows, int rowsPerBand, List<String> captions,
                                          int bandHeight) {
        if (rows % rowsPerBand != 0) {
            throw new IllegalArgumentException(rows + " rows do not split into bands of " + rowsPerBand);
        }
        int cellW = grid.getWidth() / columns;
        int cellH = grid.getHeight() / rows;
        int bands = rows / rowsPerBand;
        BufferedImage out = new BufferedImage(grid.getWidth(), grid.getHeight() + bands * bandHeight, BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(java.awt.RenderingHints.KEY_TEXT_ANTIALIASING, java.awt.RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(java.awt.Color.WHITE);
            g.fillRect(0, 0, out.getWidth(), out.getHeight());
            g.setFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN, Math.max(8, bandHeight * 2 / 3)));
            g.setColor(java.awt.Color.BLACK);
            java.awt.FontMetrics fm = g.getFontMetrics();
            for (int b = 0; b < bands; b++) {
                int srcY = b * rowsPerBand * cellH;
                int dstY = srcY + b * bandHeight;
                g.drawImage(grid.getSubimage(0, srcY, grid.getWidth(), rowsPerBand * cellH), 0, dstY, null);
                int baseline = dstY + rowsPerBand * cellH + (bandHeight + fm.getAscent() - fm.getDescent()) / 2;
                for (int c = 0; c < columns; c++) {
                    int i = b * columns + c;
                    if (i < captions.size()) {
                        String text = captions.get(i);
                        g.drawString(text, c * cellW + (cellW - fm.stringWidth(text)) / 2, baseline);
                    }
                }
            }
        } finally {
            g.dispose();
        }
        return out;
    }

    /**
     * One image as PNG bytes at 8 bits per channel in its own channels (grey or RGB), unscaled: the bytes the
     * complexity-corrected anomaly score measures. Pixel values map to bytes as in the pictures.
     */
    public static byte[] imagePng(float[] pixels, ImageShape shape) {
        if (pixels.length != shape.size()) {
            throw new IllegalArgumentException("an image of " + pixels.length + " values, expected " + shape.size());
        }
        if (shape.channels() != 1 && shape.channels() != 3) {
            throw new IllegalArgumentException("PNG images here are grey or RGB, not " + shape.channels() + " channels");
        }
        boolean grey = shape.channels() == 1;
        BufferedImage img = new BufferedImage(shape.width(), shape.height(),
                grey ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_3BYTE_BGR);
        var raster = img.getRaster();
        int[] sample = new int[grey ? 1 : 3];
        for (int y = 0; y < shape.height(); y++) {
            for (int x = 0; x < shape.width(); x++) {
                int base = (y * shape.width() + x) * shape.channels();
                for (int c = 0; c < sample.length; c++) {
                    sample[c] = toByte(pixels[base + c]);
                }
                raster.setPixel(x, y, sample);
            }
        }
        return png(img);
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

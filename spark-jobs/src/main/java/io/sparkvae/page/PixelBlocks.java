package io.sparkvae.page;

import io.sparkvae.image.TileGrid;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import javax.imageio.ImageIO;

/**
 * Pictures drawn at {@code scale} x {@code scale} pixels per image pixel (render's {@code render.scale}) carry no more
 * than their 1x version: the page ships that (about a tenth of the bytes at scale 4) and the browser scales it back up
 * with nearest-neighbour sampling. Only when every block is one colour, so nothing is lost; otherwise the picture
 * goes in as it is. Pictures of grey images are drawn in RGB; {@link #png} stores them as grey, a third of the pixels'
 * bytes, with the same values.
 */
final class PixelBlocks {
    private PixelBlocks() {}

    /**
     * {@code picture} shrunk by {@code scale} when every {@code scale x scale} block of it is uniform, else as it is.
     */
    static PagePicture shrunk(PagePicture picture, int scale) {
        if (scale < 2) {
            return picture;
        }
        BufferedImage img;
        try {
            img = ImageIO.read(new ByteArrayInputStream(picture.png()));
        } catch (IOException | RuntimeException e) {
            return picture; // not a PNG this code reads: shown as it is
        }
        if (img == null || img.getWidth() % scale != 0 || img.getHeight() % scale != 0) {
            return picture;
        }
        BufferedImage small = shrink(img, scale);
        if (small == null) {
            return picture;
        }
        byte[] png = png(small);
        return png.length < picture.png().length
                ? new PagePicture(picture.stage(), picture.file(), picture.caption(), png, img.getWidth(), img.getHeight())
                : picture;
    }

    /** {@code img} as PNG, in grey when every pixel of it is (the same values either way). */
    static byte[] png(BufferedImage img) {
        if (img.getType() == BufferedImage.TYPE_BYTE_GRAY || img.getRaster().getNumBands() != 3) {
            return TileGrid.png(img);
        }
        Raster in = img.getRaster();
        BufferedImage grey = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
        WritableRaster out = grey.getRaster();
        int[] row = new int[img.getWidth() * 3];
        int[] levels = new int[img.getWidth()];
        for (int y = 0; y < img.getHeight(); y++) {
            in.getPixels(0, y, img.getWidth(), 1, row);
            for (int x = 0; x < levels.length; x++) {
                if (row[3 * x] != row[3 * x + 1] || row[3 * x] != row[3 * x + 2]) {
                    return TileGrid.png(img);
                }
                levels[x] = row[3 * x];
            }
            out.setPixels(0, y, levels.length, 1, levels);
        }
        return TileGrid.png(grey);
    }

    /** The 1x image, or null when some block holds two colours. */
    static BufferedImage shrink(BufferedImage img, int scale) {
        Raster in = img.getRaster();
        int bands = in.getNumBands();
        boolean grey = bands == 1 && img.getType() == BufferedImage.TYPE_BYTE_GRAY;
        if (!grey && img.getType() != BufferedImage.TYPE_3BYTE_BGR && img.getType() != BufferedImage.TYPE_INT_RGB) {
            return null; // alpha, palettes, 16 bits: not what the pictures are; leave them whole
        }
        int w = img.getWidth() / scale;
        int h = img.getHeight() / scale;
        BufferedImage out = new BufferedImage(w, h, grey ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_3BYTE_BGR);
        WritableRaster raster = out.getRaster();
        int[] row = new int[img.getWidth() * bands];
        int[] block = new int[bands];
        for (int y = 0; y < h; y++) {
            for (int dy = 0; dy < scale; dy++) {
                in.getPixels(0, y * scale + dy, img.getWidth(), 1, row);
                for (int x = 0; x < w; x++) {
                    int start = x * scale * bands;
                    if (dy == 0) {
                        System.arraycopy(row, start, block, 0, bands);
                        raster.setPixel(x, y, block);
                    } else {
                        raster.getPixel(x, y, block);
                    }
                    for (int i = 0; i < scale * bands; i++) {
                        if (row[start + i] != block[i % bands]) {
                            return null;
                        }
                    }
                }
            }
        }
        return out;
    }
}

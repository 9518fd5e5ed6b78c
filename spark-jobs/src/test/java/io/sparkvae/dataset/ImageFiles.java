package io.sparkvae.dataset;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Small real image files for the format tests, written with ImageIO's own encoders. */
final class ImageFiles {
    private ImageFiles() {}

    /** A w x h RGBA image: a colour gradient with a transparent left column. */
    static BufferedImage rgba(int w, int h, int seed) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int a = x == 0 ? 0 : 255;
                img.setRGB(x, y, a << 24 | ((x * 37 + seed * 11) & 0xFF) << 16 | ((y * 53 + seed) & 0xFF) << 8 | (seed * 29 & 0xFF));
            }
        }
        return img;
    }

    /** A palette image with a transparent entry. */
    static BufferedImage palette(int w, int h) {
        byte[] r = {0, (byte) 250, 10};
        byte[] g = {0, 20, (byte) 200};
        byte[] b = {0, 30, 90};
        byte[] a = {0, (byte) 255, (byte) 255};
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(8, 3, r, g, b, a));
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.getRaster().setSample(x, y, 0, (x + y) % 3);
            }
        }
        return img;
    }

    /** A 16-bit grey image. */
    static BufferedImage grey16(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_USHORT_GRAY);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.getRaster().setSample(x, y, 0, (x * 4000 + y * 900) & 0xFFFF);
            }
        }
        return img;
    }

    /** An opaque RGB image (for JPEG, GIF, BMP). */
    static BufferedImage rgb(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, x < w / 2 ? 0xF0F0F0 : 0x101010);
            }
        }
        return img;
    }

    static byte[] encode(BufferedImage img, String format) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (!ImageIO.write(img, format, out)) {
                throw new IllegalStateException("no " + format + " writer for " + img);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path write(Path file, byte[] bytes) {
        try {
            Files.createDirectories(file.getParent());
            return Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path write(Path file, BufferedImage img, String format) {
        return write(file, encode(img, format));
    }
}

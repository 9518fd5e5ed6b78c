package io.sparkvae.data;

import java.io.Serializable;

/**
 * A decoded image as non-premultiplied 8-bit sRGB ARGB pixels, row-major, whatever the file's format and colour type.
 *
 * @param argb {@code width * height} pixels (shared, not copied: do not modify)
 */
public record ArgbImage(int width, int height, int[] argb) implements Serializable {

    public ArgbImage {
        if (width <= 0 || height <= 0 || (long) width * height != argb.length) {
            throw new IllegalArgumentException("ArgbImage: " + width + "x" + height + " does not match " + argb.length + " pixels");
        }
    }

    /** Pixel (x, y) as ARGB. */
    public int pixel(int x, int y) {
        return argb[y * width + x];
    }
}

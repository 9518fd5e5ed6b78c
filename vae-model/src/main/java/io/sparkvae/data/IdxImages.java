package io.sparkvae.data;

import java.io.Serializable;

/**
 * Images decoded from an IDX3 file: {@code count} images of {@code rows x cols} unsigned bytes, row-major.
 *
 * @param count  number of images
 * @param rows   image height
 * @param cols   image width
 * @param pixels all pixels, image after image (shared, not copied: do not modify)
 */
public record IdxImages(int count, int rows, int cols, byte[] pixels) implements Serializable {

    public IdxImages {
        if (count <= 0 || rows <= 0 || cols <= 0 || (long) count * rows * cols != pixels.length) {
            throw new IllegalArgumentException("IdxImages: " + count + " images of " + rows + "x" + cols
                    + " do not match " + pixels.length + " pixels");
        }
    }

    /** Shape of one image (one channel). */
    public ImageShape shape() {
        return new ImageShape(rows, cols, 1);
    }

    /** Image {@code i} as pixel/255f in row-major order. */
    public float[] image(int i) {
        if (i < 0 || i >= count) {
            throw new IllegalArgumentException("image index " + i + " out of range 0.." + (count - 1));
        }
        int n = rows * cols;
        float[] out = new float[n];
        int base = i * n;
        for (int k = 0; k < n; k++) {
            out[k] = (pixels[base + k] & 0xFF) / 255f;
        }
        return out;
    }
}

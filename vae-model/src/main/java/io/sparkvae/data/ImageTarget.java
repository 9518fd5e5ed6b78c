package io.sparkvae.data;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.Serializable;

/**
 * The shape every decoded image is brought to: size and channels, how other sizes are resized, and the background
 * that transparency (and {@code fit}'s padding) shows. Scaling is Java2D's bilinear interpolation, halving step by
 * step while the image is more than twice the target (so a large downscale averages every source pixel instead of
 * sampling a few).
 *
 * @param background 24-bit RGB (see {@link Compositing#parseColour})
 */
public record ImageTarget(int width, int height, int channels, Resize resize, int background) implements Serializable {

    public ImageTarget {
        if (width <= 0 || height <= 0 || (channels != 1 && channels != 3)) {
            throw new IllegalArgumentException("target must be positive with 1 or 3 channels, got " + width + "x" + height + "x" + channels);
        }
    }

    /** Shape of the result. */
    public ImageShape shape() {
        return new ImageShape(height, width, channels);
    }

    /** True when {@code img} already has the target size (required with {@link Resize#NONE}). */
    public boolean hasSize(ArgbImage img) {
        return img.width() == width && img.height() == height;
    }

    /**
     * The image as HWC floats in [0,1] of this shape. Without scaling, alpha is composited exactly
     * ({@link Compositing#region}); with scaling, the image is first composited to 8-bit RGB, then scaled.
     *
     * @throws IllegalArgumentException with {@link Resize#NONE} when the image is not the target size (check
     *                                  {@link #hasSize} first to report it)
     */
    public float[] pixels(ArgbImage img) {
        if (hasSize(img)) {
            return Compositing.region(img, 0, 0, width, height, channels, background);
        }
        if (resize == Resize.NONE) {
            throw new IllegalArgumentException("image is " + img.width() + "x" + img.height() + ", not " + width + "x" + height);
        }
        BufferedImage scaled = scale(flatten(img));
        float[] out = new float[width * height * channels];
        int k = 0;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int p = scaled.getRGB(x, y);
                float r = (p >>> 16 & 0xFF) / 255f;
                float g = (p >>> 8 & 0xFF) / 255f;
                float b = (p & 0xFF) / 255f;
                if (channels == 3) {
                    out[k++] = r;
                    out[k++] = g;
                    out[k++] = b;
                } else {
                    out[k++] = Compositing.luma(r, g, b);
                }
            }
        }
        return out;
    }

    /** The image composited over the background into an opaque 8-bit RGB image (rounded to nearest). */
    private BufferedImage flatten(ArgbImage img) {
        BufferedImage out = new BufferedImage(img.width(), img.height(), BufferedImage.TYPE_INT_RGB);
        int[] rgb = new int[img.argb().length];
        int br = background >>> 16 & 0xFF;
        int bg = background >>> 8 & 0xFF;
        int bb = background & 0xFF;
        for (int i = 0; i < rgb.length; i++) {
            int p = img.argb()[i];
            int a = p >>> 24;
            rgb[i] = to8(p >>> 16 & 0xFF, a, br) << 16 | to8(p >>> 8 & 0xFF, a, bg) << 8 | to8(p & 0xFF, a, bb);
        }
        out.setRGB(0, 0, img.width(), img.height(), rgb, 0, img.width());
        return out;
    }

    private static int to8(int c, int a, int b) {
        return (c * a + b * (255 - a) + 127) / 255;
    }

    /** Scales an opaque image into a target-sized canvas as {@link #resize} says. */
    private BufferedImage scale(BufferedImage src) {
        int w = src.getWidth();
        int h = src.getHeight();
        // The size the whole source is drawn at, and where (negative offsets crop, positive ones pad).
        int dw;
        int dh;
        switch (resize) {
            case STRETCH -> {
                dw = width;
                dh = height;
            }
            case FIT -> {
                double s = Math.min((double) width / w, (double) height / h);
                dw = clamp((int) Math.round(w * s), width);
                dh = clamp((int) Math.round(h * s), height);
            }
            case CROP -> {
                double s = Math.max((double) width / w, (double) height / h);
                dw = Math.max(width, (int) Math.round(w * s));
                dh = Math.max(height, (int) Math.round(h * s));
            }
            default -> throw new IllegalStateException("no scaling for " + resize);
        }
        BufferedImage img = src;
        // Halve (a bilinear halving averages 2x2 blocks) while more than twice the final size.
        while (img.getWidth() > 2 * dw || img.getHeight() > 2 * dh) {
            int nw = img.getWidth() > 2 * dw ? (img.getWidth() + 1) / 2 : img.getWidth();
            int nh = img.getHeight() > 2 * dh ? (img.getHeight() + 1) / 2 : img.getHeight();
            img = draw(img, nw, nh, nw, nh, 0, 0);
        }
        return draw(img, width, height, dw, dh, (width - dw) / 2, (height - dh) / 2);
    }

    private static int clamp(int v, int max) {
        return Math.max(1, Math.min(max, v));
    }

    /** {@code src} drawn at {@code dw x dh} at ({@code dx}, {@code dy}) on a {@code cw x ch} canvas of the background. */
    private BufferedImage draw(BufferedImage src, int cw, int ch, int dw, int dh, int dx, int dy) {
        BufferedImage out = new BufferedImage(cw, ch, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.setColor(new Color(background));
            g.fillRect(0, 0, cw, ch);
            g.drawImage(src, dx, dy, dw, dh, null);
        } finally {
            g.dispose();
        }
        return out;
    }
}

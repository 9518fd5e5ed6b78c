package io.sparkvae.scoring;

import io.sparkvae.model.AnomalyScore;
import io.sparkvae.data.ImageShape;
import io.sparkvae.image.TileGrid;

/** The per-image terms the anomaly scores correct the -ELBO with, computed from the pixels alone (plus a reconstruction). */
public final class PixelTerms {
    /** Side of the square window {@link AnomalyScore#REGION_SURPRISE} sums over. */
    public static final int REGION = 4;
    /** Keeps log(p) and log(1 - p) finite where the decoder's float means round to 0 or 1. */
    private static final double P_FLOOR = 1e-7;
    private static final double NATS_PER_BYTE = 8 * Math.log(2);

    private PixelTerms() {}

    /** Sum over values of the Bernoulli entropy H(x) = -x log x - (1 - x) log(1 - x), in nats (0 at x = 0 or 1). */
    public static double entropySum(float[] x) {
        double sum = 0;
        for (float v : x) {
            sum += entropy(v);
        }
        return sum;
    }

    static double entropy(double x) {
        return (x > 0 ? -x * Math.log(x) : 0) + (x < 1 ? -(1 - x) * Math.log(1 - x) : 0);
    }

    /** The image's length as a PNG at 8 bits per channel, through the pictures' own encoder, in nats. */
    public static double pngNats(float[] x, ImageShape shape) {
        return TileGrid.imagePng(x, shape).length * NATS_PER_BYTE;
    }

    /** KL(Bern(x) || Bern(p)) in nats: what a value costs beyond its own entropy under the decoder's mean p. */
    static double excess(double x, double p) {
        double q = Math.min(Math.max(p, P_FLOOR), 1 - P_FLOOR);
        return (x > 0 ? x * Math.log(x / q) : 0) + (x < 1 ? (1 - x) * Math.log((1 - x) / (1 - q)) : 0);
    }

    /**
     * The largest sum of {@link #excess} over the values of any {@value #REGION}x{@value #REGION} window of pixels (the
     * whole image's side where it is smaller), all channels of a pixel together.
     */
    public static double regionSurprise(float[] x, float[] p, ImageShape shape) {
        int h = shape.height();
        int w = shape.width();
        int ch = shape.channels();
        // integral[y][x]: the excess of every pixel above and left of (y, x)
        double[][] integral = new double[h + 1][w + 1];
        for (int y = 0; y < h; y++) {
            double row = 0;
            for (int c0 = 0; c0 < w; c0++) {
                int base = (y * w + c0) * ch;
                for (int c = 0; c < ch; c++) {
                    row += excess(x[base + c], p[base + c]);
                }
                integral[y + 1][c0 + 1] = integral[y][c0 + 1] + row;
            }
        }
        int wh = Math.min(REGION, h);
        int ww = Math.min(REGION, w);
        double best = Double.NEGATIVE_INFINITY;
        for (int y = wh; y <= h; y++) {
            for (int c0 = ww; c0 <= w; c0++) {
                double s = integral[y][c0] - integral[y - wh][c0] - integral[y][c0 - ww] + integral[y - wh][c0 - ww];
                best = Math.max(best, s);
            }
        }
        return best;
    }

    /**
     * The largest sum of {@link #excess} over the pixels of one colour (all channels' 8-bit values equal, as the PNG
     * stores them), all channels of a pixel together.
     */
    public static double colourSurprise(float[] x, float[] p, ImageShape shape) {
        int ch = shape.channels();
        java.util.Map<Integer, Double> byColour = new java.util.HashMap<>();
        for (int base = 0; base < x.length; base += ch) {
            int colour = 0;
            double cost = 0;
            for (int c = 0; c < ch; c++) {
                colour = (colour << 8) | Math.round(x[base + c] * 255f);
                cost += excess(x[base + c], p[base + c]);
            }
            byColour.merge(colour, cost, Double::sum);
        }
        return byColour.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
    }

    /**
     * The shape of a model's images from its input size when the data set does not say: square grey (784 = 28x28) or
     * square RGB (1728 = 24x24x3); a size cannot be both. Null when it is neither.
     */
    public static ImageShape squareShape(int inputSize) {
        int grey = (int) Math.round(Math.sqrt(inputSize));
        if (grey * grey == inputSize) {
            return new ImageShape(grey, grey, 1);
        }
        int rgb = (int) Math.round(Math.sqrt(inputSize / 3.0));
        return inputSize % 3 == 0 && rgb * rgb * 3 == inputSize ? new ImageShape(rgb, rgb, 3) : null;
    }
}

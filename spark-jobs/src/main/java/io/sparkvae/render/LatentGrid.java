package io.sparkvae.render;

import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * The manifold's latent grid: z on each axis at standard normal quantiles of probabilities evenly spaced from
 * {@value #FIRST} to {@value #LAST}, so equal steps in the picture are equal steps of prior mass (Kingma & Welling,
 * figure 4).
 */
public final class LatentGrid {
    public static final double FIRST = 0.05;
    public static final double LAST = 0.95;

    /** Standard normal; no random generator, only its inverse CDF is used. */
    private static final NormalDistribution STANDARD_NORMAL = new NormalDistribution(null, 0, 1);

    private LatentGrid() {}

    /** The inverse standard normal CDF (commons-math3, via the inverse error function). */
    public static double normalQuantile(double p) {
        if (!(p > 0 && p < 1)) {
            throw new IllegalArgumentException("probability must be in (0, 1), got " + p);
        }
        return STANDARD_NORMAL.inverseCumulativeProbability(p);
    }

    /** {@code n} probabilities from {@value #FIRST} to {@value #LAST} inclusive, evenly spaced (n >= 2). */
    public static double[] probabilities(int n) {
        if (n < 2) {
            throw new IllegalArgumentException("a manifold grid needs at least 2 cells a side, got " + n);
        }
        double[] p = new double[n];
        for (int i = 0; i < n; i++) {
            p[i] = FIRST + (LAST - FIRST) * i / (n - 1);
        }
        return p;
    }

    /** The z values of one axis: the quantiles of {@link #probabilities(int)}, ascending. */
    public static double[] axis(int n) {
        double[] p = probabilities(n);
        double[] z = new double[n];
        for (int i = 0; i < n; i++) {
            z[i] = normalQuantile(p[i]);
        }
        return z;
    }

    /**
     * The n*n latent points in the picture's row-major cell order: column c has z1 = axis[c] (growing rightwards),
     * row r has z2 = axis[n-1-r] (growing upwards, as on a plot's y axis).
     */
    public static float[][] cells(int n) {
        double[] z = axis(n);
        float[][] out = new float[n * n][];
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < n; c++) {
                out[r * n + c] = new float[] {(float) z[c], (float) z[n - 1 - r]};
            }
        }
        return out;
    }
}

package io.sparkvae.page;

import io.sparkvae.model.DenseWeights;
import java.util.List;

/**
 * The decoder the page runs, in Java: the same arithmetic as the page's script (double precision over the shipped
 * weights; hidden layers relu or tanh, sigmoid pixels), so the export can be checked against the JVM decoder.
 */
final class PlainDecoder {
    private final List<DenseWeights> layers;
    private final boolean tanh;

    PlainDecoder(List<DenseWeights> layers, String activation) {
        this.layers = layers;
        this.tanh = "tanh".equals(activation);
    }

    /** Pixel means for latent point {@code z}. */
    double[] decode(float[] z) {
        double[] x = new double[z.length];
        for (int i = 0; i < z.length; i++) {
            x[i] = z[i];
        }
        for (int l = 0; l < layers.size(); l++) {
            DenseWeights layer = layers.get(l);
            boolean last = l == layers.size() - 1;
            double[] y = new double[layer.out()];
            float[] w = layer.weights();
            for (int j = 0; j < layer.out(); j++) {
                double s = layer.bias()[j];
                int base = j * layer.in();
                for (int i = 0; i < layer.in(); i++) {
                    s += w[base + i] * x[i];
                }
                y[j] = last ? 1 / (1 + Math.exp(-s)) : tanh ? Math.tanh(s) : Math.max(0, s);
            }
            x = y;
        }
        return x;
    }
}

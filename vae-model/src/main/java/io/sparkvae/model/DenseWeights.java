package io.sparkvae.model;

/**
 * One dense layer's parameters as plain arrays, for code outside the JVM's network (an exported decoder):
 * {@code out[j] = bias[j] + sum_i weights[j * in + i] * x[i]}, i.e. each output unit's fan-in weights are contiguous.
 *
 * @param in      fan-in
 * @param out     fan-out
 * @param weights {@code in * out} values, output-major
 * @param bias    {@code out} values
 */
public record DenseWeights(int in, int out, float[] weights, float[] bias) {
    public DenseWeights {
        if (weights.length != (long) in * out || bias.length != out) {
            throw new IllegalArgumentException("a " + in + "x" + out + " layer needs " + (long) in * out + " weights and " + out
                    + " biases, got " + weights.length + " and " + bias.length);
        }
    }
}

package io.sparkvae.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Where each weight matrix and bias of the VAE lives in its one flat parameter vector.
 *
 * <p>Order: encoder hidden layers (W, b each), the mean and log-variance head weights, their biases, decoder hidden
 * layers (mirroring the encoder), the pixel-logit layer. Matrices are stored column-major ('f') like DL4J's own dense layers, so a
 * segment of the flat vector reshapes into a matrix view without copying.
 */
final class VaeParameterLayout {

    /** One weight matrix ({@code rows = fan-in}) or bias ({@code rows = 1}) at {@code offset} in the flat vector. */
    record Segment(String name, long offset, int rows, int cols, boolean bias) {
        long length() {
            return (long) rows * cols;
        }

        /** A view of this segment of a flat [1, numParams] array: [rows, cols] ('f') for weights, [1, cols] for biases. */
        INDArray view(INDArray flat) {
            INDArray row = flat.get(NDArrayIndex.interval(0, 0, true), NDArrayIndex.interval(offset, offset + length()));
            return bias ? row : row.reshape('f', rows, cols);
        }
    }

    final int inputSize;
    final int latentSize;
    final int[] hidden;
    final Segment[] encoderWeights;
    final Segment[] encoderBiases;
    final Segment meanWeights;
    final Segment logVarianceWeights;
    final Segment meanBias;
    final Segment logVarianceBias;
    /** Mean and log-variance weights side by side, [top hidden, 2 nz]: one gemm computes both heads. */
    final Segment headWeights;
    /** Mean and log-variance biases side by side, [1, 2 nz]. */
    final Segment headBias;
    final Segment[] decoderWeights;
    final Segment[] decoderBiases;
    final Segment outputWeights;
    final Segment outputBias;
    final List<Segment> all;
    final long numParams;

    VaeParameterLayout(int inputSize, int[] hidden, int latentSize) {
        this.inputSize = inputSize;
        this.latentSize = latentSize;
        this.hidden = hidden.clone();
        int n = hidden.length;
        List<Segment> segments = new ArrayList<>();
        long[] offset = {0};
        encoderWeights = new Segment[n];
        encoderBiases = new Segment[n];
        int in = inputSize;
        for (int i = 0; i < n; i++) {
            encoderWeights[i] = add(segments, offset, "encoder" + i + ".W", in, hidden[i], false);
            encoderBiases[i] = add(segments, offset, "encoder" + i + ".b", 1, hidden[i], true);
            in = hidden[i];
        }
        // Column-major storage makes [mean.W | logVariance.W] one contiguous [in, 2 nz] matrix; same for the biases.
        meanWeights = add(segments, offset, "mean.W", in, latentSize, false);
        logVarianceWeights = add(segments, offset, "logVariance.W", in, latentSize, false);
        meanBias = add(segments, offset, "mean.b", 1, latentSize, true);
        logVarianceBias = add(segments, offset, "logVariance.b", 1, latentSize, true);
        headWeights = new Segment("head.W", meanWeights.offset(), in, 2 * latentSize, false);
        headBias = new Segment("head.b", meanBias.offset(), 1, 2 * latentSize, true);
        decoderWeights = new Segment[n];
        decoderBiases = new Segment[n];
        in = latentSize;
        for (int j = 0; j < n; j++) {
            int width = hidden[n - 1 - j];
            decoderWeights[j] = add(segments, offset, "decoder" + j + ".W", in, width, false);
            decoderBiases[j] = add(segments, offset, "decoder" + j + ".b", 1, width, true);
            in = width;
        }
        outputWeights = add(segments, offset, "output.W", in, inputSize, false);
        outputBias = add(segments, offset, "output.b", 1, inputSize, true);
        all = Collections.unmodifiableList(segments);
        numParams = offset[0];
    }

    /** Width of decoder hidden layer {@code j} (input side of the decoder first). */
    int decoderWidth(int j) {
        return hidden[hidden.length - 1 - j];
    }

    private static Segment add(List<Segment> segments, long[] offset, String name, int rows, int cols, boolean bias) {
        Segment s = new Segment(name, offset[0], rows, cols, bias);
        segments.add(s);
        offset[0] += s.length();
        return s;
    }
}

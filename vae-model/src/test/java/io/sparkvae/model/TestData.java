package io.sparkvae.model;

import java.util.List;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Small synthetic image sets with structure a VAE can learn quickly: noisy copies of a few binary prototypes. */
final class TestData {
    static final int SIZE = 64;

    private TestData() {
    }

    static INDArray images(int n, long seed) {
        Random rnd = new Random(seed);
        Random protoRnd = new Random(12345);
        float[][] prototypes = new float[6][SIZE];
        for (float[] p : prototypes) {
            for (int d = 0; d < SIZE; d++) {
                p[d] = protoRnd.nextDouble() < 0.3 ? 1f : 0f;
            }
        }
        float[] flat = new float[n * SIZE];
        for (int i = 0; i < n; i++) {
            float[] p = prototypes[rnd.nextInt(prototypes.length)];
            for (int d = 0; d < SIZE; d++) {
                float v = rnd.nextDouble() < 0.05 ? 1f - p[d] : p[d];
                flat[i * SIZE + d] = v * 0.9f + 0.05f * (float) rnd.nextDouble();
            }
        }
        return Nd4j.create(flat, new long[] {n, SIZE}, 'c').castTo(DataType.FLOAT);
    }

    static VaeSpec spec(String activation) {
        return new VaeSpec(SIZE, List.of(32, 16), 4, activation, "xavier", "adam", 3e-3, 7);
    }
}

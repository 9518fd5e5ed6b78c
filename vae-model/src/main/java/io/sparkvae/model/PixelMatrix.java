package io.sparkvae.model;

import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Stacks images (or latent vectors), one {@code float[]} per row, into the FLOAT [n, d] matrix the {@link Vae} takes. */
public final class PixelMatrix {
    private PixelMatrix() {}

    public static INDArray of(List<float[]> rows) {
        return of(rows.toArray(new float[0][]));
    }

    public static INDArray of(float[][] rows) {
        int d = rows[0].length;
        float[] flat = new float[rows.length * d];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != d) {
                throw new IllegalArgumentException("row " + i + " has " + rows[i].length + " values, row 0 has " + d);
            }
            System.arraycopy(rows[i], 0, flat, i * d, d);
        }
        return Nd4j.create(flat, new long[] {rows.length, d}, 'c').castTo(DataType.FLOAT);
    }
}

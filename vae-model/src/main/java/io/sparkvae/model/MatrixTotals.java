package io.sparkvae.model;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.same.Abs;
import org.nd4j.linalg.api.ops.impl.transforms.strict.SoftPlus;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Sums over a minibatch's matrices that are the same whatever ND4J's thread count. A whole-array sum splits the array
 * among however many threads ND4J's pool has, which is fixed per JVM from {@code OMP_NUM_THREADS} or the machine's
 * cores, so the same seeded run reported a training -ELBO differing in the fourth digit on {@code local[2]} and on
 * executors.
 */
final class MatrixTotals {
    private MatrixTotals() {}

    /** The sum of {@code m}'s values: rows summed one by one into {@code rows} (each by one thread), then in order in double. */
    static double total(INDArray m, INDArray rows) {
        m.sum(rows, 1);
        double sum = 0;
        for (long i = 0, n = rows.length(); i < n; i++) {
            sum += rows.getDouble(i);
        }
        return sum;
    }

    /** sum softplus(l) in the form that never overflows; {@code t} and {@code rows} are scratch. */
    static double softplusTotal(INDArray l, INDArray t, INDArray rows) {
        Nd4j.exec(new Abs(l, t));
        double sumAbs = total(t, rows);
        double sumL = total(l, rows);
        t.negi();
        Nd4j.exec(new SoftPlus(t, t));
        return 0.5 * (sumL + sumAbs) + total(t, rows);
    }
}

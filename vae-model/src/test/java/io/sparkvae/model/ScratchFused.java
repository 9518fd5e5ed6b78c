package io.sparkvae.model;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear;
import org.nd4j.linalg.api.ops.impl.transforms.ReluLayer;
import org.nd4j.linalg.api.ops.impl.transforms.custom.XwPlusB;
import org.nd4j.linalg.factory.Nd4j;

public final class ScratchFused {
    static double med(long[] t) { long[] c = t.clone(); Arrays.sort(c); return c[c.length / 2] / 1e3; }
    public static void main(String[] args) {
        int[][] shapes = {{100, 784, 500}, {1000, 20, 500}, {1000, 500, 784}};
        for (int rep = 0; rep < 2; rep++)
        for (int[] sh : shapes) {
            INDArray x = Nd4j.rand(DataType.FLOAT, sh[0], sh[1]);
            INDArray wflat = Nd4j.rand(DataType.FLOAT, 1, sh[1] * sh[2] + sh[2]);
            INDArray w = wflat.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 0, true), org.nd4j.linalg.indexing.NDArrayIndex.interval(0, sh[1] * sh[2])).reshape('f', sh[1], sh[2]);
            INDArray b = wflat.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 0, true), org.nd4j.linalg.indexing.NDArrayIndex.interval(sh[1] * sh[2], sh[1] * sh[2] + sh[2]));
            INDArray b1 = b.reshape(sh[2]);
            INDArray out = Nd4j.create(DataType.FLOAT, sh[0], sh[2]);
            INDArray out2 = Nd4j.create(DataType.FLOAT, sh[0], sh[2]);
            int n = sh[0] == 100 ? 200 : 40;
            long[] a = new long[n], c = new long[n], d = new long[n], g = new long[n];
            for (int i = 0; i < n; i++) {
                long s = System.nanoTime();
                Nd4j.gemm(x, w, out, false, false, 1, 0); out.addiRowVector(b); Nd4j.exec(new RectifiedLinear(out, out));
                a[i] = System.nanoTime() - s;
                s = System.nanoTime();
                ReluLayer op = new ReluLayer(x, w, b1); op.addOutputArgument(out2); Nd4j.exec(op);
                c[i] = System.nanoTime() - s;
                s = System.nanoTime();
                Nd4j.exec(new XwPlusB(new INDArray[] {x, w, b1}, out2));
                d[i] = System.nanoTime() - s;
                s = System.nanoTime();
                Nd4j.gemm(x, w, out, false, false, 1, 0);
                g[i] = System.nanoTime() - s;
            }
            System.out.printf("%s: gemm+bias+relu %.0f us | relu_layer %.0f | xw_plus_b %.0f | gemm only %.0f | equal %s%n", Arrays.toString(sh), med(a), med(c), med(d), med(g),
                Transforms_eq(out, out2));
        }
    }
    static boolean Transforms_eq(INDArray a, INDArray b) { return a.equalsWithEps(b, 1e-3); }
}

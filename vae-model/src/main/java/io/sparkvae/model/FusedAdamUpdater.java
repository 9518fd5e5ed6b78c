package io.sparkvae.model;

import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.AdamUpdater;
import org.nd4j.linalg.learning.GradientUpdater;

/**
 * {@link FusedAdam}'s updater: the update rule of libnd4j's {@code adam_updater} (and so of DL4J's
 * {@link AdamUpdater}), per parameter i at iteration t (counted from 0):
 * <pre>
 *   m_i = beta1 m_i + (1 - beta1) g_i
 *   v_i = beta2 v_i + (1 - beta2) g_i^2
 *   g_i = alpha_t m_i / (sqrt(v_i) + epsilon),   alpha_t = lr sqrt(1 - beta2^(t+1)) / (1 - beta1^(t+1))
 * </pre>
 * in float, written back into the gradient view (DL4J then subtracts it from the parameters). The off-heap arrays are
 * streamed through small on-heap chunks (bulk copies, which stay in the L1 cache), where the JIT turns the loop into
 * SIMD instructions, square root and division included; libnd4j's loop does them one value at a time.
 * Arrays that are not contiguous float views fall back to ND4J's own op.
 */
final class FusedAdamUpdater implements GradientUpdater<FusedAdam> {
    /** Values per chunk: 3 chunks of 16 KB stay in L1 with room to spare. */
    private static final int CHUNK = 4096;

    private final FusedAdam config;
    private INDArray m;
    private INDArray v;
    private final float[] gc = new float[CHUNK];
    private final float[] mc = new float[CHUNK];
    private final float[] vc = new float[CHUNK];

    FusedAdamUpdater(FusedAdam config) {
        this.config = config;
    }

    @Override
    public FusedAdam getConfig() {
        return config;
    }

    @Override
    public void setState(Map<String, INDArray> stateMap, boolean initialize) {
        if (!stateMap.containsKey(AdamUpdater.M_STATE) || !stateMap.containsKey(AdamUpdater.V_STATE) || stateMap.size() != 2) {
            throw new IllegalStateException("Adam state must hold exactly the keys M and V, got " + stateMap.keySet());
        }
        m = stateMap.get(AdamUpdater.M_STATE);
        v = stateMap.get(AdamUpdater.V_STATE);
    }

    @Override
    public Map<String, INDArray> getState() {
        Map<String, INDArray> r = new HashMap<>();
        r.put(AdamUpdater.M_STATE, m);
        r.put(AdamUpdater.V_STATE, v);
        return r;
    }

    /** The same layout as DL4J's AdamUpdater: m in the first half of the view, v in the second. */
    @Override
    public void setStateViewArray(INDArray viewArray, long[] gradientShape, char gradientOrder, boolean initialize) {
        if (!viewArray.isRowVector()) {
            throw new IllegalArgumentException("Adam state must be a row vector, got " + java.util.Arrays.toString(viewArray.shape()));
        }
        if (initialize) {
            viewArray.assign(0);
        }
        long length = viewArray.length();
        m = Shape.newShapeNoCopy(viewArray.get(NDArrayIndex.point(0), NDArrayIndex.interval(0, length / 2)), gradientShape,
                gradientOrder == 'f');
        v = Shape.newShapeNoCopy(viewArray.get(NDArrayIndex.point(0), NDArrayIndex.interval(length / 2, length)), gradientShape,
                gradientOrder == 'f');
        if (m == null || v == null) {
            throw new IllegalStateException("cannot view the Adam state in the gradient's shape");
        }
    }

    @Override
    public void applyUpdater(INDArray gradient, int iteration, int epoch) {
        if (m == null || v == null) {
            throw new IllegalStateException("Adam updater has no state view");
        }
        double lr = config.getLearningRate(iteration, epoch);
        FloatBuffer g = floats(gradient);
        FloatBuffer mb = floats(m);
        FloatBuffer vb = floats(v);
        if (g == null || mb == null || vb == null || gradient.length() != m.length() || m.length() != v.length()) {
            Nd4j.exec(new org.nd4j.linalg.api.ops.impl.updaters.AdamUpdater(gradient, v, m, lr, config.getBeta1(),
                    config.getBeta2(), config.getEpsilon(), iteration));
            return;
        }
        float beta1 = (float) config.getBeta1();
        float beta2 = (float) config.getBeta2();
        float epsilon = (float) config.getEpsilon();
        float alpha = stepSize(lr, beta1, beta2, epsilon, iteration);
        float keep1 = 1f - beta1;
        float keep2 = 1f - beta2;
        int n = (int) gradient.length();
        float[] gcs = gc;
        float[] mcs = mc;
        float[] vcs = vc;
        for (int from = 0; from < n; from += CHUNK) {
            int len = Math.min(CHUNK, n - from);
            g.get(from, gcs, 0, len);
            mb.get(from, mcs, 0, len);
            vb.get(from, vcs, 0, len);
            for (int i = 0; i < len; i++) {
                float gi = gcs[i];
                float mi = beta1 * mcs[i] + gi * keep1;
                float vi = beta2 * vcs[i] + gi * gi * keep2;
                mcs[i] = mi;
                vcs[i] = vi;
                gcs[i] = (mi * alpha) / ((float) Math.sqrt(vi) + epsilon);
            }
            g.put(from, gcs, 0, len);
            mb.put(from, mcs, 0, len);
            vb.put(from, vcs, 0, len);
        }
    }

    /** libnd4j's bias-corrected step size alpha_t, with its fallback to epsilon when that is not a usable number. */
    static float stepSize(double lr, float beta1, float beta2, float epsilon, int iteration) {
        float beta1T = (float) Math.pow(beta1, iteration + 1);
        float beta2T = (float) Math.pow(beta2, iteration + 1);
        float alpha = (float) (lr * Math.sqrt(1f - beta2T) / (1.0 - beta1T));
        return Float.isNaN(alpha) || Float.isInfinite(alpha) || alpha == 0f ? epsilon : alpha;
    }

    /**
     * A float view of {@code a}'s values in order (index 0 = a's first element), or null when {@code a} is not a
     * contiguous float vector (DL4J's gradient and Adam state views are row vectors).
     */
    static FloatBuffer floats(INDArray a) {
        if (a.dataType() != DataType.FLOAT || !a.isVector() || a.elementWiseStride() != 1 || a.length() > Integer.MAX_VALUE) {
            return null;
        }
        FloatBuffer all = a.data().asNioFloat(); // positioned at the view's offset
        return all.slice().limit((int) a.length());
    }
}

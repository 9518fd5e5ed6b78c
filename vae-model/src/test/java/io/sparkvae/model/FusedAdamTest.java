package io.sparkvae.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;

/** The fused Adam computes what libnd4j's adam_updater computes, on the views DL4J hands it, and is what the VAE uses. */
class FusedAdamTest {

    /** A [1, n] view at a non-zero offset of a bigger row, like DL4J's gradient and state views. */
    private static INDArray viewAtOffset(INDArray values, int offset) {
        int n = (int) values.length();
        INDArray big = Nd4j.rand(DataType.FLOAT, 1, n + offset + 3);
        INDArray view = big.get(NDArrayIndex.interval(0, 0, true), NDArrayIndex.interval(offset, offset + n));
        view.assign(values.reshape(1, n));
        return view;
    }

    @Test
    void matchesNd4jsAdamOpOverManyIterationsOnOffsetViews() {
        int n = 10_007; // not a multiple of the chunk or of any SIMD width
        Adam config = new Adam(2e-3, 0.9, 0.999, 1e-8);
        INDArray stateNd4j = Nd4j.zeros(DataType.FLOAT, 1, 2 * n);
        INDArray stateFused = viewAtOffset(Nd4j.zeros(DataType.FLOAT, 1, 2 * n), 5);
        GradientUpdater<?> reference = config.instantiate(stateNd4j, true);
        GradientUpdater<?> fused = new FusedAdam(config).instantiate(stateFused, true);
        assertInstanceOf(FusedAdamUpdater.class, fused);
        Nd4j.getRandom().setSeed(3);
        for (int t = 0; t < 50; t++) {
            INDArray g = Nd4j.randn(DataType.FLOAT, 1, n).muli(t % 7 == 0 ? 1e-4 : 0.3);
            g.getRow(0).putScalar(0, 0f); // a zero gradient: 0 / (0 + eps) stays finite
            INDArray expected = g.dup();
            INDArray actual = viewAtOffset(g, 11);
            reference.applyUpdater(expected, t, 0);
            fused.applyUpdater(actual, t, 0);
            float[] e = expected.toFloatVector();
            float[] a = actual.toFloatVector();
            // Float rounding differs where m or v cancel (libnd4j's compiler may fuse multiply-adds; Java never does):
            // relative 1e-5, or 1e-6 of the largest step for values that cancelled to almost nothing.
            float scale = expected.amaxNumber().floatValue();
            for (int i = 0; i < n; i++) {
                assertEquals(e[i], a[i], 1e-5f * Math.abs(e[i]) + 1e-6f * scale, "update " + i + " at iteration " + t);
            }
        }
        float[] s1 = stateNd4j.toFloatVector();
        float[] s2 = stateFused.toFloatVector();
        float scale = stateNd4j.amaxNumber().floatValue();
        for (int i = 0; i < 2 * n; i++) {
            assertEquals(s1[i], s2[i], 1e-5f * Math.abs(s1[i]) + 1e-6f * scale, "state " + i);
        }
    }

    @Test
    void floatsSeesTheViewsOwnValuesOrRefusesNonContiguousArrays() {
        INDArray values = Nd4j.linspace(DataType.FLOAT, 1, 20, 1).reshape(1, 20);
        INDArray view = viewAtOffset(values, 7);
        var buffer = FusedAdamUpdater.floats(view);
        assertNotNull(buffer);
        assertEquals(20, buffer.limit());
        for (int i = 0; i < 20; i++) {
            assertEquals(i + 1f, buffer.get(i));
        }
        INDArray column = Nd4j.rand(DataType.FLOAT, 4, 5).getColumn(2);
        assertNull(FusedAdamUpdater.floats(column));
        assertNull(FusedAdamUpdater.floats(Nd4j.rand(DataType.DOUBLE, 1, 5)));
    }

    @Test
    void theVaeTrainsWithTheFusedUpdaterWhileItsConfigurationKeepsPlainAdam() {
        Vae vae = Vae.create(TestData.spec("relu"));
        MultiLayerNetwork net = vae.network();
        net.fit(Vae.minibatch(TestData.images(50, 1)));
        var block = ((BaseMultiLayerUpdater<?>) net.getUpdater()).getUpdaterBlocks().get(0);
        assertInstanceOf(FusedAdamUpdater.class, block.getGradientUpdater());
        VaeLayer layer = (VaeLayer) net.getLayerWiseConfigurations().getConf(0).getLayer();
        assertSame(Adam.class, layer.getIUpdater().getClass());
        assertTrue(net.getLayerWiseConfigurations().toJson().contains("org.nd4j.linalg.learning.config.Adam"));
        assertTrue(Double.isFinite(net.score()));
    }
}

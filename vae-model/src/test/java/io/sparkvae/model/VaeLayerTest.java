package io.sparkvae.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;

/** The DL4J side: what the averaging workers rely on (JSON config, ModelSerializer, plain fit, workspaces). */
class VaeLayerTest {

    private static void fitBatches(MultiLayerNetwork net, INDArray data, int steps, int batch, long rngSeed) {
        Nd4j.getRandom().setSeed(rngSeed);
        int n = (int) data.size(0);
        for (int s = 0; s < steps; s++) {
            int from = (s * batch) % (n - batch);
            net.fit(Vae.minibatch(data.get(NDArrayIndex.interval(from, from + batch), NDArrayIndex.all()).dup()));
        }
    }

    @Test
    void configurationRoundTripsThroughJson() {
        for (String activation : new String[] {"relu", "tanh"}) {
            VaeSpec spec = new VaeSpec(10, java.util.List.of(8, 6, 5), 3, activation, "normal", "adagrad", 0.02, 99);
            MultiLayerConfiguration conf = Vae.create(spec).network().getLayerWiseConfigurations();
            String json = conf.toJson();
            MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(json);
            assertEquals(json, back.toJson());
            VaeLayer layer = assertInstanceOf(VaeLayer.class, back.getConf(0).getLayer());
            assertArrayEquals(new int[] {8, 6, 5}, layer.getHiddenSizes());
            assertEquals(3, layer.getLatentSize());
            assertEquals(activation, layer.getHiddenActivation());
            assertEquals("normal", layer.getWeightInitScheme());
            assertEquals(10, layer.getNIn());
            assertEquals(conf.getConf(0).getLayer(), layer);
            MultiLayerNetwork rebuilt = new MultiLayerNetwork(back);
            rebuilt.init();
            assertEquals(spec, Vae.wrap(rebuilt).spec());
        }
    }

    @Test
    void modelSerializerRestoresParametersAndAdamStateSoTrainingContinuesIdentically() throws Exception {
        INDArray data = TestData.images(400, 1);
        Vae vae = Vae.create(TestData.spec("relu"));
        MultiLayerNetwork net = vae.network();
        fitBatches(net, data, 30, 50, 5);
        INDArray adamState = net.getUpdater().getStateViewArray();
        assertTrue(adamState.length() == 2 * net.numParams() && adamState.amaxNumber().doubleValue() > 0,
                "Adam keeps two moments per parameter in the updater's state view");

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ModelSerializer.writeModel(net, bytes, true);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(bytes.toByteArray()), true);
        assertEquals(net.params(), restored.params());
        assertEquals(adamState, restored.getUpdater().getStateViewArray());

        // What an averaging worker does: rebuild from JSON, set broadcast params and updater state, fit.
        MultiLayerNetwork worker = new MultiLayerNetwork(MultiLayerConfiguration.fromJson(net.getLayerWiseConfigurations().toJson()));
        worker.init(net.params().dup(), false);
        worker.getUpdater().setStateViewArray(worker, adamState.dup(), false);

        fitBatches(net, data, 5, 50, 77);
        fitBatches(restored, data, 5, 50, 77);
        fitBatches(worker, data, 5, 50, 77);
        assertEquals(net.params(), restored.params());
        assertEquals(net.params(), worker.params());
        assertEquals(net.getUpdater().getStateViewArray(), worker.getUpdater().getStateViewArray());
        assertEquals(net.score(), worker.score(), 0.0);
    }

    @Test
    void plainFitLowersTheNegativeElbo() {
        INDArray data = TestData.images(1000, 2);
        Vae vae = Vae.create(TestData.spec("relu"));
        double before = vae.elbo(data, 1, 3).negElbo().meanNumber().doubleValue();
        fitBatches(vae.network(), data, 300, 50, 4);
        double after = vae.elbo(data, 1, 3).negElbo().meanNumber().doubleValue();
        assertTrue(after < before - 10, "-ELBO should drop clearly: " + before + " -> " + after);
        // The score DL4J reports is the same quantity (mean -ELBO per image of the last minibatch).
        assertTrue(Math.abs(vae.network().score() - after) < 10, "score " + vae.network().score() + " vs " + after);
    }

    @Test
    void trainingWithWorkspacesEnabledMatchesTrainingWithoutOverManyIterations() {
        INDArray data = TestData.images(600, 3);
        Vae withWorkspaces = Vae.create(TestData.spec("tanh"));
        assertEquals(WorkspaceMode.ENABLED, withWorkspaces.network().getLayerWiseConfigurations().getTrainingWorkspaceMode());
        MultiLayerConfiguration noWs = MultiLayerConfiguration.fromJson(withWorkspaces.network().getLayerWiseConfigurations().toJson());
        noWs.setTrainingWorkspaceMode(WorkspaceMode.NONE);
        noWs.setInferenceWorkspaceMode(WorkspaceMode.NONE);
        MultiLayerNetwork without = new MultiLayerNetwork(noWs);
        without.init(withWorkspaces.network().params().dup(), false);

        // Alternate batch sizes so cached buffers are re-created while workspaces come and go.
        for (int round = 0; round < 20; round++) {
            int batch = round % 2 == 0 ? 50 : 37;
            fitBatches(withWorkspaces.network(), data, 25, batch, 1000 + round);
            fitBatches(without, data, 25, batch, 1000 + round);
            INDArray p = withWorkspaces.network().params();
            assertTrue(Double.isFinite(p.sumNumber().doubleValue()), "finite after round " + round);
            assertEquals(without.params(), p, "round " + round);
            // inference in between, through the network's own output() (workspace-backed)
            INDArray out = withWorkspaces.network().output(data.get(NDArrayIndex.interval(0, 5), NDArrayIndex.all()));
            assertEquals(without.output(data.get(NDArrayIndex.interval(0, 5), NDArrayIndex.all())), out);
        }
        assertNotEquals(0.0, withWorkspaces.network().score());
        assertTrue(withWorkspaces.network().getLayerWiseConfigurations().getConf(0).getLayer() instanceof VaeLayer layer
                && layer.getIUpdater() instanceof Adam);
    }
}

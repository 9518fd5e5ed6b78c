package io.sparkvae.train;

import io.sparkvae.model.FloatBytes;
import java.io.Serializable;
import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What an averaging round starts from and what a worker hands back: the network's parameters, its Adam state and its
 * iteration count (Adam's bias correction). The arrays travel as little-endian float bytes ({@link FloatBytes}).
 */
record TrainingState(byte[] parameters, byte[] updaterState, int iteration) implements Serializable {

    /** A copy of {@code net}'s state. */
    static TrainingState of(MultiLayerNetwork net) {
        Updater updater = net.getUpdater(false);
        INDArray state = updater == null ? null : updater.getStateViewArray();
        return new TrainingState(FloatBytes.of(net.params(), "network array"), state == null ? null : FloatBytes.of(state, "network array"),
                net.getLayerWiseConfigurations().getIterationCount());
    }

    /** A state holding these arrays. */
    static TrainingState of(float[] parameters, float[] updaterState, int iteration) {
        return new TrainingState(FloatBytes.of(parameters), updaterState == null ? null : FloatBytes.of(updaterState), iteration);
    }

    /**
     * Writes this state into {@code net}'s own parameter and updater views (no new arrays). A state without updater
     * state (a network that has not taken a step yet) gives {@code net} Adam's fresh state, zeros: a worker network kept
     * from an earlier share would otherwise start with that share's moments, and what a worker computes would depend on
     * which network it borrowed.
     */
    void applyTo(MultiLayerNetwork net) {
        FloatBytes.copyInto(parameters, net.params(), "parameters");
        if (updaterState != null) {
            FloatBytes.copyInto(updaterState, net.getUpdater(true).getStateViewArray(), "updater state");
        } else {
            Updater updater = net.getUpdater(false);
            INDArray view = updater == null ? null : updater.getStateViewArray();
            if (view != null) {
                view.assign(0);
            }
        }
        net.getLayerWiseConfigurations().setIterationCount(iteration);
    }

    float[] parameterValues() {
        return FloatBytes.floats(parameters);
    }

    float[] updaterValues() {
        return updaterState == null ? null : FloatBytes.floats(updaterState);
    }
}

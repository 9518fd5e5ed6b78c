package io.sparkvae.train;

import io.sparkvae.model.FloatBytes;
import java.nio.FloatBuffer;
import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A training state's values seen in place, not copied: a network's own parameter and updater arrays, or a
 * {@link TrainingState}'s bytes. The {@link PeerMesh} sends a worker's slices straight from its network this way,
 * where a {@link TrainingState#of} copy would cost 10-30 MB of fresh heap per round.
 *
 * @param updater null when the state has no updater state
 */
record StateView(FloatBuffer parameters, FloatBuffer updater) {

    /** The network's own arrays (writing to the view writes to the network). */
    static StateView of(MultiLayerNetwork net) {
        Updater u = net.getUpdater(false);
        INDArray state = u == null ? null : u.getStateViewArray();
        return new StateView(FloatBytes.view(net.params(), "network parameters"),
                state == null ? null : FloatBytes.view(state, "network updater state"));
    }

    /** The state's bytes as floats (writing to the view writes to the state's arrays). */
    static StateView of(TrainingState state) {
        return new StateView(FloatBytes.asFloats(state.parameters()),
                state.updaterState() == null ? null : FloatBytes.asFloats(state.updaterState()));
    }

    int parameterCount() {
        return parameters.limit();
    }

    int updaterCount() {
        return updater == null ? 0 : updater.limit();
    }
}

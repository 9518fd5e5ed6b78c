package io.sparkvae.train;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What an averaging round starts from and what a worker hands back: the network's parameters, its Adam state and its
 * iteration count (Adam's bias correction). The arrays travel as little-endian float bytes: Java serialization writes a
 * {@code byte[]} in one copy, where it writes a {@code float[]} value by value and an INDArray worse still.
 */
record TrainingState(byte[] parameters, byte[] updaterState, int iteration) implements Serializable {

    /** A copy of {@code net}'s state. */
    static TrainingState of(MultiLayerNetwork net) {
        Updater updater = net.getUpdater(false);
        INDArray state = updater == null ? null : updater.getStateViewArray();
        return new TrainingState(bytes(net.params()), state == null ? null : bytes(state),
                net.getLayerWiseConfigurations().getIterationCount());
    }

    /** A state holding these arrays. */
    static TrainingState of(float[] parameters, float[] updaterState, int iteration) {
        return new TrainingState(bytes(parameters), updaterState == null ? null : bytes(updaterState), iteration);
    }

    /** Writes this state into {@code net}'s own parameter and updater views (no new arrays). */
    void applyTo(MultiLayerNetwork net) {
        copyInto(parameters, net.params(), "parameters");
        if (updaterState != null) {
            copyInto(updaterState, net.getUpdater(true).getStateViewArray(), "updater state");
        }
        net.getLayerWiseConfigurations().setIterationCount(iteration);
    }

    float[] parameterValues() {
        return floats(parameters);
    }

    float[] updaterValues() {
        return updaterState == null ? null : floats(updaterState);
    }

    static float[] floats(byte[] bytes) {
        float[] out = new float[bytes.length / Float.BYTES];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }

    private static byte[] bytes(float[] values) {
        byte[] out = new byte[values.length * Float.BYTES];
        ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().put(values);
        return out;
    }

    private static byte[] bytes(INDArray values) {
        FloatBuffer view = view(values, "network array");
        byte[] out = new byte[view.remaining() * Float.BYTES];
        ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().put(view);
        return out;
    }

    private static void copyInto(byte[] from, INDArray into, String what) {
        FloatBuffer target = view(into, what);
        if (target.remaining() * Float.BYTES != from.length) {
            throw new IllegalStateException(what + ": " + from.length / Float.BYTES + " values for a network of " + target.remaining());
        }
        target.put(ByteBuffer.wrap(from).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer());
    }

    /** The values of a contiguous float vector (DL4J's flat parameter and updater views are). */
    private static FloatBuffer view(INDArray a, String what) {
        if (a.dataType() != DataType.FLOAT || !a.isVector() || a.elementWiseStride() != 1 || a.length() > Integer.MAX_VALUE) {
            throw new IllegalStateException(what + " is not a contiguous float vector");
        }
        return a.data().asNioFloat().slice().limit((int) a.length());
    }
}

package io.sparkvae.model;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A network's flat parameter or optimiser-state vector as little-endian float bytes, the form in which it crosses
 * JVMs: Java serialization writes a {@code byte[]} in one copy, where it writes a {@code float[]} value by value and an
 * INDArray worse still.
 */
public final class FloatBytes {
    private FloatBytes() {
    }

    /** A copy of a contiguous float vector's values ({@code what} names it in the error otherwise). */
    public static byte[] of(INDArray vector, String what) {
        FloatBuffer view = view(vector, what);
        byte[] out = new byte[view.remaining() * Float.BYTES];
        asFloats(out).put(view);
        return out;
    }

    public static byte[] of(float[] values) {
        byte[] out = new byte[values.length * Float.BYTES];
        asFloats(out).put(values);
        return out;
    }

    public static float[] floats(byte[] bytes) {
        float[] out = new float[bytes.length / Float.BYTES];
        asFloats(bytes).get(out);
        return out;
    }

    /** The bytes' values seen in place as floats, not copied: writing to the view writes the bytes. */
    public static FloatBuffer asFloats(byte[] bytes) {
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
    }

    /** A new [1, n] row holding the values. */
    public static INDArray row(byte[] bytes) {
        float[] values = floats(bytes);
        return Nd4j.create(values, new long[] {1, values.length}, 'c');
    }

    /** Writes the values into {@code into}, a contiguous float vector of the same length, where it lies. */
    public static void copyInto(byte[] from, INDArray into, String what) {
        FloatBuffer target = view(into, what);
        if (target.remaining() * Float.BYTES != from.length) {
            throw new IllegalStateException(what + ": " + from.length / Float.BYTES + " values for a network of " + target.remaining());
        }
        target.put(asFloats(from));
    }

    /** The values of a contiguous float vector (DL4J's flat parameter and updater views are), as a view, not a copy. */
    public static FloatBuffer view(INDArray a, String what) {
        if (a.dataType() != DataType.FLOAT || !a.isVector() || a.elementWiseStride() != 1 || a.length() > Integer.MAX_VALUE) {
            throw new IllegalStateException(what + " is not a contiguous float vector");
        }
        return a.data().asNioFloat().slice().limit((int) a.length());
    }
}

package io.sparkvae.model;

import io.sparkvae.io.BadInputException;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Reads one flat FLOAT row vector in ND4J's binary array format (what {@code Nd4j.write} puts in a model zip) without
 * trusting it: the file's shape and lengths must be exactly [1, expected] before anything is allocated, and the
 * values are copied into a fresh array, so no length or stride from the file reaches native code.
 */
final class ModelArrayBytes {
    private static final String MIXED = "MIXED_DATA_TYPES";

    private ModelArrayBytes() {
    }

    /** The [1, {@code expected}] FLOAT array in {@code bytes}; a BadInputException naming {@code what} otherwise. */
    static INDArray readFloatRow(byte[] bytes, long expected, String what) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            long shapeLength = header(in, "LONG", what);
            if (shapeLength != 8) {
                throw new BadInputException(what + " is not a matrix (shape record of " + shapeLength + " values)");
            }
            long rank = in.readLong();
            long rows = in.readLong();
            long columns = in.readLong();
            if (rank != 2 || rows != 1 || columns != expected) {
                throw new BadInputException(what + " has shape [" + rows + ", " + columns + "] (rank " + rank
                        + "), expected [1, " + expected + "]");
            }
            in.skipNBytes(5L * Long.BYTES); // strides, extras, element-wise stride, order: recomputed, not trusted
            long length = header(in, "FLOAT", what);
            if (length != expected) {
                throw new BadInputException(what + " holds " + length + " values, expected " + expected);
            }
            if (in.available() != expected * Float.BYTES) {
                throw new BadInputException(what + " holds " + in.available() + " bytes of values, expected "
                        + expected * Float.BYTES);
            }
            byte[] raw = in.readNBytes((int) (expected * Float.BYTES));
            float[] values = new float[(int) expected];
            ByteBuffer.wrap(raw).order(ByteOrder.BIG_ENDIAN).asFloatBuffer().get(values);
            return Nd4j.create(values, new long[] {1, expected}, 'c');
        } catch (IOException e) {
            throw new BadInputException(what + " is cut short or malformed: " + e.getMessage(), e);
        }
    }

    /** Reads one buffer header (allocation mode, length, type) and returns the length. */
    private static long header(DataInputStream in, String type, String what) throws IOException {
        String mode = in.readUTF();
        long length = in.readLong();
        String actual = in.readUTF();
        if (!MIXED.equals(mode) || !type.equals(actual) || length < 0) {
            throw new BadInputException(what + " has an unexpected array header (" + mode + ", " + actual + ", "
                    + length + "), expected " + MIXED + " " + type);
        }
        return length;
    }
}

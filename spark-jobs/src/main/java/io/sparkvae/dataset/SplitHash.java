package io.sparkvae.dataset;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The split of an example of a format without fixed splits, from its id alone: the first 64 bits of SHA-256 of the
 * id, read as a fraction of 2^64, fall in [0, test), [test, test + val) or the rest. An example's split therefore
 * never depends on which other examples exist, the order they are read in or the partitioning.
 */
public final class SplitHash {
    private SplitHash() {}

    /** The id's position in [0, 1). */
    public static double position(String id) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
            long bits = ByteBuffer.wrap(h).getLong() >>> 11; // 53 bits: exact as a double
            return bits / (double) (1L << 53);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code test}, {@code val} or {@code train} for {@code id}; a test fraction of 0 sends nothing to test. */
    public static String split(String id, double valFraction, double testFraction) {
        double p = position(id);
        if (p < testFraction) {
            return "test";
        }
        return p < testFraction + valFraction ? "val" : "train";
    }
}

package io.sparkvae.train;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;

/**
 * Pixels that are 8-bit levels, {@code k / 255f} for k in 0..255 (what every decoded image gives), stored as the byte
 * k: a quarter of their float32 size on disk and in a worker's memory, and decoded back to the identical float.
 */
final class PixelLevels {
    private static final float[] LEVEL = new float[256];

    static {
        for (int k = 0; k < 256; k++) {
            LEVEL[k] = k / 255f;
        }
    }

    private PixelLevels() {}

    /** Whether every value is bit for bit one of the 256 levels (so {@link #encode} loses nothing). */
    static boolean allLevels(float[] values) {
        for (float v : values) {
            if (!(v >= 0f && v <= 1f) || Float.floatToRawIntBits(LEVEL[Math.round(v * 255f)]) != Float.floatToRawIntBits(v)) {
                return false;
            }
        }
        return true;
    }

    /** Puts each value's level k as one byte; the values must pass {@link #allLevels}. */
    static void encode(float[] values, ByteBuffer out) {
        for (float v : values) {
            out.put((byte) Math.round(v * 255f));
        }
    }

    /** Decodes {@code levels} into {@code out} from its position on. */
    static void decode(byte[] levels, FloatBuffer out) {
        int at = out.position();
        for (int i = 0; i < levels.length; i++) {
            out.put(at + i, LEVEL[levels[i] & 0xFF]);
        }
        out.position(at + levels.length);
    }
}

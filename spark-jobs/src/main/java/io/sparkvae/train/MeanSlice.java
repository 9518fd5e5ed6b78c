package io.sparkvae.train;

import io.sparkvae.model.FloatBytes;
import java.io.IOException;
import java.nio.FloatBuffer;

/**
 * One worker's slice of a round's mean, summed in worker order straight into the new state's arrays: the first
 * contributor copied, each next one added, then divided by their count, the float operations {@link OrderedMean} does
 * for the whole state on the driver, so both give the same bits. A peer's slice is added as it arrives, a chunk at a
 * time, so no slice-sized buffer is allocated (each would be a 5-15 MB humongous object, which starts a G1 collection).
 */
final class MeanSlice {
    private static final int CHUNK = StateSlices.CHUNK_FLOATS;
    private final FloatBuffer[] target;
    private final byte[] bytes = new byte[CHUNK * Float.BYTES];
    private final FloatBuffer bytesAsFloats = FloatBytes.asFloats(bytes);
    // The arithmetic runs on plain arrays a chunk at a time: a buffer view's get and put per value cost 5-10x more.
    private final float[] sum = new float[CHUNK];
    private final float[] values = new float[CHUNK];
    private int contributing;

    /** @param target the slice's parts in the new state ({@link StateSlices#parts}), written here */
    MeanSlice(FloatBuffer[] target) {
        this.target = target;
    }

    /** Adds a worker's slice seen in place (this worker's own), parts shaped as the target's. */
    void add(FloatBuffer[] slice) {
        for (int p = 0; p < target.length; p++) {
            for (int at = 0; at < target[p].limit(); at += CHUNK) {
                int n = Math.min(CHUNK, target[p].limit() - at);
                slice[p].get(at, values, 0, n);
                combine(target[p], at, n);
            }
        }
        contributing++;
    }

    /** Adds a worker's slice read from {@code in}: little-endian float bytes, the target's parts in order. */
    void add(StateSlices.ByteSource in) throws IOException {
        for (FloatBuffer part : target) {
            for (int at = 0; at < part.limit(); at += CHUNK) {
                int n = Math.min(CHUNK, part.limit() - at);
                in.readFully(bytes, 0, n * Float.BYTES);
                bytesAsFloats.get(0, values, 0, n);
                combine(part, at, n);
            }
        }
        contributing++;
    }

    /** The {@code n} values read into {@link #values} copied (first contributor) or added to {@code to} from {@code at}. */
    private void combine(FloatBuffer to, int at, int n) {
        if (contributing == 0) {
            to.put(at, values, 0, n);
            return;
        }
        to.get(at, sum, 0, n);
        for (int i = 0; i < n; i++) {
            sum[i] += values[i];
        }
        to.put(at, sum, 0, n);
    }

    /** How many workers have been added. */
    int contributing() {
        return contributing;
    }

    /** Divides the sum by the contributors' count, leaving the mean in the target; at least one must have contributed. */
    void finish() {
        if (contributing == 0) {
            throw new IllegalStateException("no worker contributed to the mean");
        }
        for (FloatBuffer part : target) {
            for (int at = 0; at < part.limit(); at += CHUNK) {
                int n = Math.min(CHUNK, part.limit() - at);
                part.get(at, sum, 0, n);
                for (int i = 0; i < n; i++) {
                    sum[i] /= contributing;
                }
                part.put(at, sum, 0, n);
            }
        }
    }
}

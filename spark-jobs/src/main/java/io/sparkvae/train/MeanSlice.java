package io.sparkvae.train;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * One worker's slice of a round's mean, summed in worker order straight into the new state's arrays: the first
 * contributor copied, each next one added, then divided by their count, the float operations {@link OrderedMean} does
 * for the whole state on the driver, so both give the same bits. A peer's slice is added as it arrives, a chunk at a
 * time, so no slice-sized buffer is allocated (each would be a 5-15 MB humongous object, which starts a G1 collection).
 */
final class MeanSlice {
    private final FloatBuffer[] target;
    private final byte[] chunk = new byte[StateSlices.CHUNK_FLOATS * Float.BYTES];
    private int contributing;

    /** @param target the slice's parts in the new state ({@link StateSlices#parts}), written here */
    MeanSlice(FloatBuffer[] target) {
        this.target = target;
    }

    /** Adds a worker's slice seen in place (this worker's own), parts shaped as the target's. */
    void add(FloatBuffer[] slice) {
        for (int p = 0; p < target.length; p++) {
            combine(slice[p], target[p], 0, target[p].limit());
        }
        contributing++;
    }

    /** Adds a worker's slice read from {@code in}: little-endian float bytes, the target's parts in order. */
    void add(StateSlices.ByteSource in) throws IOException {
        FloatBuffer floats = ByteBuffer.wrap(chunk).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        for (FloatBuffer part : target) {
            for (int at = 0; at < part.limit(); at += StateSlices.CHUNK_FLOATS) {
                int n = Math.min(StateSlices.CHUNK_FLOATS, part.limit() - at);
                in.readFully(chunk, 0, n * Float.BYTES);
                combine(floats, part, at, n);
            }
        }
        contributing++;
    }

    /** {@code n} values of {@code from} (from its index 0) copied (first contributor) or added to {@code to} from {@code at}. */
    private void combine(FloatBuffer from, FloatBuffer to, int at, int n) {
        if (contributing == 0) {
            to.put(at, from, 0, n);
            return;
        }
        for (int i = 0; i < n; i++) {
            to.put(at + i, to.get(at + i) + from.get(i));
        }
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
            for (int i = 0; i < part.limit(); i++) {
                part.put(i, part.get(i) / contributing);
            }
        }
    }
}

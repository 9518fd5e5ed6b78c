package io.sparkvae.train;

import io.sparkvae.model.FloatBytes;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.FloatBuffer;

/**
 * A training state as one run of floats (parameters, then the updater's) cut into one contiguous slice per worker, and
 * where a slice lies in the two arrays: the workers of a {@link PeerMesh} each average one slice.
 *
 * @param parameters the state's parameter count
 * @param updater    its updater state's float count (0: none)
 * @param workers    how many slices
 */
record StateSlices(int parameters, int updater, int workers) {
    /** Floats converted to bytes at a time when a slice is sent from a {@link StateView} (64 KB: no humongous array). */
    static final int CHUNK_FLOATS = 16_384;

    StateSlices {
        if (parameters < 0 || updater < 0 || workers < 1) {
            throw new IllegalArgumentException("bad state slices: " + parameters + " parameters, " + updater + " updater floats, "
                    + workers + " workers");
        }
    }

    /** The slices of states shaped like {@code shape}. */
    static StateSlices of(TrainingState shape, int workers) {
        return new StateSlices(shape.parameters().length / Float.BYTES,
                shape.updaterState() == null ? 0 : shape.updaterState().length / Float.BYTES, workers);
    }

    /** The slices of states shaped like {@code shape}. */
    static StateSlices of(StateView shape, int workers) {
        return new StateSlices(shape.parameterCount(), shape.updaterCount(), workers);
    }

    long from(int slice) {
        return (long) (parameters + updater) * slice / workers;
    }

    /** Floats in slice {@code slice}. */
    int length(int slice) {
        return (int) (from(slice + 1) - from(slice));
    }

    /**
     * Where a slice lies, in bytes: its first {@code parameterBytes} from {@code parameterOffset} of the parameters, the
     * rest ({@code updaterBytes}) from {@code updaterOffset} of the updater's state. An empty part's offset may lie past
     * its array's end, so every use skips empty parts.
     */
    private record Span(int parameterOffset, int parameterBytes, int updaterOffset, int updaterBytes) {}

    private Span span(int slice) {
        int from = (int) from(slice);
        int inParameters = Math.max(0, Math.min(from + length(slice), parameters) - from);
        return new Span(from * Float.BYTES, inParameters * Float.BYTES, (from + inParameters - parameters) * Float.BYTES,
                (length(slice) - inParameters) * Float.BYTES);
    }

    /**
     * Slice {@code slice} of {@code state} in place: its part in the parameters, then its part in the updater's state
     * (either may be empty).
     */
    FloatBuffer[] parts(StateView state, int slice) {
        if (state.parameterCount() != parameters || state.updaterCount() != updater) {
            throw new IllegalStateException("a state of " + state.parameterCount() + " parameters and " + state.updaterCount()
                    + " updater floats cut as one of " + parameters + " and " + updater);
        }
        Span s = span(slice);
        FloatBuffer inParameters = s.parameterBytes() == 0 ? FloatBuffer.allocate(0)
                : state.parameters().slice(s.parameterOffset() / Float.BYTES, s.parameterBytes() / Float.BYTES);
        FloatBuffer inUpdater = s.updaterBytes() == 0 ? FloatBuffer.allocate(0)
                : state.updater().slice(s.updaterOffset() / Float.BYTES, s.updaterBytes() / Float.BYTES);
        return new FloatBuffer[] {inParameters, inUpdater};
    }

    /** Writes slice {@code slice} of {@code state} to {@code out} as little-endian float bytes, a chunk at a time. */
    void write(StateView state, int slice, OutputStream out) throws IOException {
        byte[] chunk = new byte[CHUNK_FLOATS * Float.BYTES];
        FloatBuffer staging = FloatBytes.asFloats(chunk);
        for (FloatBuffer part : parts(state, slice)) {
            for (int at = 0; at < part.limit(); at += CHUNK_FLOATS) {
                int n = Math.min(CHUNK_FLOATS, part.limit() - at);
                staging.clear();
                staging.put(part.slice(at, n));
                out.write(chunk, 0, n * Float.BYTES);
            }
        }
    }

    /** Reads {@code length} bytes into {@code target} from {@code offset}. */
    interface ByteSource {
        void readFully(byte[] target, int offset, int length) throws IOException;
    }

    /** Writes slice {@code slice} of {@code state} to {@code out} straight from the state's arrays (no copy of 10-30 MB). */
    void write(TrainingState state, int slice, OutputStream out) throws IOException {
        Span s = span(slice);
        if (s.parameterBytes() > 0) {
            out.write(state.parameters(), s.parameterOffset(), s.parameterBytes());
        }
        if (s.updaterBytes() > 0) {
            out.write(state.updaterState(), s.updaterOffset(), s.updaterBytes());
        }
    }

    /** Reads slice {@code slice}'s bytes from {@code in} straight to where they belong in the two arrays. */
    void read(ByteSource in, int slice, byte[] parameterBytes, byte[] updaterBytes) throws IOException {
        Span s = span(slice);
        if (s.parameterBytes() > 0) {
            in.readFully(parameterBytes, s.parameterOffset(), s.parameterBytes());
        }
        if (s.updaterBytes() > 0) {
            in.readFully(updaterBytes, s.updaterOffset(), s.updaterBytes());
        }
    }

    /** Empty parameter bytes to put slices into. */
    byte[] newParameterBytes() {
        return new byte[parameters * Float.BYTES];
    }

    /** Empty updater bytes to put slices into, or null when the state has no updater. */
    byte[] newUpdaterBytes() {
        return updater == 0 ? null : new byte[updater * Float.BYTES];
    }
}

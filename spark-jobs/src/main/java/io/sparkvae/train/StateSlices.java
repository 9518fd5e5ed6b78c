package io.sparkvae.train;

import java.io.IOException;
import java.io.OutputStream;

/**
 * A training state as one run of floats (parameters, then the updater's) cut into one contiguous slice per worker, and
 * where a slice lies in the two arrays: the workers of a {@link PeerMesh} each average one slice.
 *
 * @param parameters the state's parameter count
 * @param updater    its updater state's float count (0: none)
 * @param workers    how many slices
 */
record StateSlices(int parameters, int updater, int workers) {

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

    /** Slice {@code slice} of {@code state}'s bytes, into {@code target}. */
    byte[] copy(TrainingState state, int slice, byte[] target) {
        Span s = span(slice);
        if (s.parameterBytes() > 0) {
            System.arraycopy(state.parameters(), s.parameterOffset(), target, 0, s.parameterBytes());
        }
        if (s.updaterBytes() > 0) {
            System.arraycopy(state.updaterState(), s.updaterOffset(), target, s.parameterBytes(), s.updaterBytes());
        }
        return target;
    }

    /** Puts slice {@code slice}'s bytes where they belong in the two arrays. */
    void place(byte[] bytes, int slice, byte[] parameterBytes, byte[] updaterBytes) {
        Span s = span(slice);
        if (s.parameterBytes() > 0) {
            System.arraycopy(bytes, 0, parameterBytes, s.parameterOffset(), s.parameterBytes());
        }
        if (s.updaterBytes() > 0) {
            System.arraycopy(bytes, s.parameterBytes(), updaterBytes, s.updaterOffset(), s.updaterBytes());
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

    /** Empty parameter bytes to {@link #place} slices into. */
    byte[] newParameterBytes() {
        return new byte[parameters * Float.BYTES];
    }

    /** Empty updater bytes to {@link #place} slices into, or null when the state has no updater. */
    byte[] newUpdaterBytes() {
        return updater == 0 ? null : new byte[updater * Float.BYTES];
    }
}

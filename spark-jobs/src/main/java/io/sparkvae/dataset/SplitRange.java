package io.sparkvae.dataset;

import java.io.Serializable;
import java.util.Arrays;

/**
 * One split's examples from one source file of a single-file format: their indices in that file, ascending.
 *
 * @param split      train, val or test
 * @param sourceFile which raw file (as configured) the examples come from
 * @param indices    positions in that file, ascending
 */
public record SplitRange(String split, String sourceFile, int[] indices) implements Serializable {

    /** {@code count} consecutive indices from {@code first}. */
    public static SplitRange consecutive(String split, String sourceFile, int first, int count) {
        int[] idx = new int[count];
        Arrays.setAll(idx, i -> first + i);
        return new SplitRange(split, sourceFile, idx);
    }

    public int count() {
        return indices.length;
    }

    /** The smallest index, or -1 for an empty split. */
    public int firstIndex() {
        return indices.length == 0 ? -1 : indices[0];
    }

    /** The first {@code limit} indices (all when limit is 0). */
    public SplitRange limited(int limit) {
        return limit <= 0 || limit >= indices.length ? this : new SplitRange(split, sourceFile, Arrays.copyOf(indices, limit));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SplitRange r && split.equals(r.split) && sourceFile.equals(r.sourceFile) && Arrays.equals(indices, r.indices);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * split.hashCode() + sourceFile.hashCode()) + Arrays.hashCode(indices);
    }

    @Override
    public String toString() {
        return split + " of " + sourceFile + ": " + count() + " from " + firstIndex();
    }
}

package io.sparkvae.render;

import java.util.ArrayList;
import java.util.List;

/**
 * Reconstructions beside their originals: rows alternate, a row of up to {@code columns} originals, then the row of
 * their reconstructions in the same columns. A short last pair of rows is padded with blank tiles so every
 * reconstruction sits right under its original.
 *
 * @param tiles   row-major tiles for {@link io.sparkvae.image.TileGrid#compose}
 * @param columns grid columns
 * @param rows    grid rows (always even)
 */
public record PairLayout(List<float[]> tiles, int columns, int rows) {

    public static PairLayout of(List<float[]> originals, List<float[]> reconstructions, int columns) {
        if (originals.isEmpty() || originals.size() != reconstructions.size()) {
            throw new IllegalArgumentException("need as many reconstructions as originals (at least one), got "
                    + originals.size() + " and " + reconstructions.size());
        }
        if (columns < 1) {
            throw new IllegalArgumentException("columns must be positive, got " + columns);
        }
        int cols = Math.min(columns, originals.size());
        float[] blank = new float[originals.get(0).length];
        List<float[]> tiles = new ArrayList<>();
        int rows = 0;
        for (int from = 0; from < originals.size(); from += cols) {
            int to = Math.min(originals.size(), from + cols);
            for (List<float[]> source : List.of(originals, reconstructions)) {
                for (int c = 0; c < cols; c++) {
                    tiles.add(from + c < to ? source.get(from + c) : blank);
                }
                rows++;
            }
        }
        return new PairLayout(tiles, cols, rows);
    }

    /** Columns for {@code n} examples: about twice as wide as tall once paired, at most 10 (MNIST's paper figures). */
    public static int columnsFor(int n) {
        return Math.max(1, Math.min(10, n));
    }
}

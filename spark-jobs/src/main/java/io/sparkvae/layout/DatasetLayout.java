package io.sparkvae.layout;

import java.util.List;
import org.apache.hadoop.fs.Path;

/**
 * A prepared dataset's folder, {@code <root>/datasets/<name>/}: one Parquet folder per split, {@code manifest.json},
 * a preview picture per split and {@code _SUCCESS}, written last.
 *
 * @param dir the dataset folder (or a temporary sibling it is staged in, see {@link #stagedIn})
 */
public record DatasetLayout(Path dir) {
    /** The splits every dataset has, in the order they are written. */
    public static final List<String> SPLITS = List.of("train", "val", "test");

    /** One split's Parquet folder. */
    public Path split(String split) {
        return new Path(dir, split);
    }

    public Path manifest() {
        return new Path(dir, "manifest.json");
    }

    /** The contact sheet of a split's first examples. */
    public Path preview(String split) {
        return new Path(dir, "preview-" + split + ".png");
    }

    /** The same layout inside {@code staging}, where a stage writes before committing {@link #dir} by rename. */
    public DatasetLayout stagedIn(Path staging) {
        return new DatasetLayout(staging);
    }
}

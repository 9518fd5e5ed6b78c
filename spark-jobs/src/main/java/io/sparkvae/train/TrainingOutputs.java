package io.sparkvae.train;

import io.sparkvae.layout.RunLayout;
import org.apache.hadoop.fs.Path;

/**
 * Where a training writes (the caller's layout decides).
 *
 * @param model       the final model folder, committed with {@code _SUCCESS} last
 * @param checkpoints the per-epoch checkpoint folder
 * @param log         the training log, one JSON line per epoch
 * @param batches     the exported training minibatches (written to a temporary sibling, deleted after training)
 */
public record TrainingOutputs(Path model, Path checkpoints, Path log, Path batches) {
    /** A run's training outputs where its layout puts them. */
    public static TrainingOutputs of(RunLayout layout) {
        return of(layout.training());
    }

    /** A training's outputs in {@code files}' folder. */
    public static TrainingOutputs of(RunLayout.TrainingFiles files) {
        return new TrainingOutputs(files.model(), files.checkpoints(), files.log(), files.batches());
    }
}

package io.sparkvae.train;

import io.sparkvae.layout.RunLayout;
import org.apache.hadoop.fs.Path;

/**
 * Where a training writes (the caller's layout decides).
 *
 * @param model   the final model folder, committed by renaming {@code attempt} onto it, {@code _SUCCESS} last
 * @param attempt the folder a training writes its checkpoints and final model into before the commit (a complete
 *                {@code model} stays untouched until then); {@code --resume} continues from its checkpoints
 * @param log     the training log, one JSON line per epoch
 * @param batches the exported training minibatches (written to a temporary sibling, deleted after training)
 */
public record TrainingOutputs(Path model, Path attempt, Path log, Path batches) {
    /** A run's training outputs where its layout puts them. */
    public static TrainingOutputs of(RunLayout layout) {
        return of(layout.training());
    }

    /** A training's outputs in {@code files}' folder. */
    public static TrainingOutputs of(RunLayout.TrainingFiles files) {
        return new TrainingOutputs(files.model(), files.attempt(), files.log(), files.batches());
    }

    /** The checkpoints of the training in progress. */
    public Path attemptCheckpoints() {
        return RunLayout.checkpointsOf(attempt);
    }

    /** The checkpoints inside the model folder (a committed model's, or an interrupted training's of older versions). */
    public Path modelCheckpoints() {
        return RunLayout.checkpointsOf(model);
    }
}

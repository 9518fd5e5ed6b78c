package io.sparkvae.ml;

import io.sparkvae.config.JobConfig;
import io.sparkvae.config.SettingRange;
import io.sparkvae.io.BadInputException;
import io.sparkvae.train.TrainingInput;
import java.util.Arrays;

/**
 * {@link VaeEstimator}'s Params as the trainer's typed input: the job config's model and training records, built
 * directly (no config text in between), each value held to the range the config loader holds its key to
 * ({@link SettingRange}), early stopping included (the train stage's {@code train.early-stopping.*}). The settings that
 * are no Param (activation, initialisation, optimiser, prefetch, kept checkpoints) are the job config's defaults.
 */
final class TrainingParams {
    private TrainingParams() {}

    /**
     * @param defaults   the job config's defaults
     * @param partitions upper bound on the partitions the training rows are exported from
     * @throws BadInputException one line naming the first Param out of its range
     */
    static TrainingInput of(VaeEstimator e, JobConfig defaults, int partitions) {
        int[] hidden = e.getHiddenSizes();
        if (hidden.length == 0) {
            throw refused("hiddenSizes must not be empty");
        }
        for (int i = 0; i < hidden.length; i++) {
            check("hiddenSizes element " + i, hidden[i], SettingRange.HIDDEN_SIZE);
        }
        check("latentSize", e.getLatentSize(), SettingRange.LATENT);
        check("epochs", e.getEpochs(), SettingRange.EPOCHS);
        check("batchSize", e.getBatchSize(), SettingRange.BATCH_SIZE);
        check("learningRate", e.getLearningRate(), SettingRange.LEARNING_RATE);
        check("workers", e.getWorkers(), SettingRange.WORKERS);
        check("averagingFrequency", e.getAveragingFrequency(), SettingRange.AVERAGING_FREQUENCY);
        check("earlyStoppingPatience", e.getEarlyStoppingPatience(), SettingRange.PATIENCE);
        check("earlyStoppingMinDelta", e.getEarlyStoppingMinDelta(), SettingRange.MIN_DELTA);
        JobConfig.Model m = defaults.model();
        JobConfig.Train t = defaults.train();
        var model = new JobConfig.Model(e.getLatentSize(), Arrays.stream(hidden).boxed().toList(), m.activation(), m.init());
        var train = new JobConfig.Train(e.getEpochs(), e.getBatchSize(), t.optimizer(), e.getLearningRate(),
                e.getLearningRateScaling(), e.getWorkers(), e.getAveragingFrequency(), t.prefetch(), t.cacheMegabytes(), t.keepCheckpoints(),
                new JobConfig.EarlyStopping(e.getEarlyStoppingPatience(), e.getEarlyStoppingMinDelta()));
        return new TrainingInput(model, train, e.getSeed(), Math.max(1, partitions));
    }

    private static void check(String param, double value, SettingRange range) {
        if (!range.contains(value)) {
            String shown = value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value);
            throw refused(param + " = " + shown + " is out of range " + range);
        }
    }

    private static BadInputException refused(String problem) {
        return new BadInputException(VaeEstimator.OWNER + ": " + problem);
    }
}

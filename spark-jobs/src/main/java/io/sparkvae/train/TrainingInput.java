package io.sparkvae.train;

import io.sparkvae.config.JobConfig;
import io.sparkvae.model.VaeSpec;
import java.io.Serializable;

/**
 * What a training is asked to do, typed: the model to build, how to train it, the run seed and how finely to cut the
 * training split into tasks. The train stage makes one from its job config ({@link #of}); {@code ml.VaeEstimator} from
 * its Params, with no config text in between.
 *
 * @param partitions upper bound on the partitions the training split is exported from
 */
public record TrainingInput(JobConfig.Model model, JobConfig.Train train, long seed, int partitions) implements Serializable {

    /** The training a job config describes. */
    public static TrainingInput of(JobConfig config) {
        return new TrainingInput(config.model(), config.train(), config.seed(), config.data().partitions());
    }

    /**
     * The VAE this input describes, freshly initialised for inputs of {@code inputSize} values. Its optimiser runs at
     * the workers' (scaled) learning rate, so a checkpoint records the step size it was really trained with.
     */
    public VaeSpec spec(int inputSize) {
        return new VaeSpec(inputSize, model.hidden(), model.latent(), model.activation(), model.init(), train.optimizer(),
                train.workerLearningRate(), seed);
    }
}

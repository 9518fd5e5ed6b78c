package io.sparkvae.train;

import io.sparkvae.config.JobConfig;
import io.sparkvae.io.BadInputException;
import io.sparkvae.model.VaeSpec;
import java.util.Locale;

/**
 * The memory a training needs, checked against what the driver and the executors have before anything is allocated,
 * so a config whose every value is in range but whose model cannot fit (784 inputs, {@code model.hidden = [100000]},
 * {@code model.latent = 10000}: 3.2e9 parameters) is refused at once, saying how much it needs, instead of running
 * out of memory after minutes.
 *
 * <p>A lower bound, counting only what scales with the parameters and minibatches (float32): each worker holds the
 * parameters, their gradients and the optimiser's state (Adam two moments, Adagrad one) plus a minibatch's
 * activations; the driver holds the network and its optimiser state, the sums it averages them in and the copy it
 * broadcasts. In local mode the workers run inside the driver. A config refused here could not have run; one that
 * passes may still need more (ND4J's workspaces, Spark itself), as measured in docs/BENCHMARKS.md.
 */
public final class TrainingMemory {
    private static final long FLOAT = 4;

    private TrainingMemory() {}

    /** What one training needs, in bytes. */
    public record Need(long parameters, long driver, long perWorker) {}

    public static Need of(VaeSpec spec, JobConfig.Train train) {
        long params = spec.parameterCount();
        long optimizerCopies = spec.optimizer().equals("adam") ? 2 : 1;
        long widths = 2L * spec.inputSize() + 4L * spec.latentSize();
        for (int h : spec.hiddenSizes()) {
            widths += 2L * h;
        }
        long activations = FLOAT * train.batchSize() * widths * 3; // forward values, gradients, scratch
        long perWorker = FLOAT * params * (2 + optimizerCopies) + activations;
        long driver = FLOAT * params * (1 + optimizerCopies) * 3;
        return new Need(params, driver, perWorker);
    }

    /**
     * Refuses (exit 2, one line naming the model's size, what it needs and what there is) a training that cannot fit.
     *
     * @param localMode     whether the workers run inside the driver JVM
     * @param driverBytes   the driver JVM's maximum heap (ND4J's off-heap arrays are capped at the same size)
     * @param executorBytes {@code spark.executor.memory} (ignored in local mode)
     */
    public static void requireFits(VaeSpec spec, JobConfig.Train train, boolean localMode, long driverBytes, long executorBytes) {
        Need need = of(spec, train);
        String model = String.format(Locale.ROOT, "model.hidden = %s and model.latent = %d make a VAE of %,d parameters"
                + " (%d inputs)", spec.hiddenSizes(), spec.latentSize(), need.parameters(), spec.inputSize());
        if (localMode) {
            long total = need.driver() + train.workers() * need.perWorker();
            if (total > driverBytes) {
                throw new BadInputException(model + ": training needs at least " + size(total) + " in the driver (its"
                        + " copies of the parameters and optimiser state, and " + train.workers() + " workers' in local"
                        + " mode) but the driver has " + size(driverBytes) + " (VAE_DRIVER_MEMORY or --driver-memory);"
                        + " choose a smaller model");
            }
            return;
        }
        if (need.driver() > driverBytes) {
            throw new BadInputException(model + ": training needs at least " + size(need.driver()) + " in the driver"
                    + " but it has " + size(driverBytes) + " (--driver-memory); choose a smaller model");
        }
        if (need.perWorker() > executorBytes) {
            throw new BadInputException(model + ": training needs at least " + size(need.perWorker()) + " per worker"
                    + " but an executor has " + size(executorBytes) + " (spark.executor.memory); choose a smaller model");
        }
    }

    static String size(long bytes) {
        double gib = bytes / (double) (1L << 30);
        return gib >= 1 ? String.format(Locale.ROOT, "%.1f GiB", gib)
                : String.format(Locale.ROOT, "%.0f MiB", bytes / (double) (1L << 20));
    }
}

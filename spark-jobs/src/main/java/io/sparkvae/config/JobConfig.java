package io.sparkvae.config;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * A validated job configuration: what every stage of one run reads. Built only by {@link JobConfigLoader}.
 *
 * @param runName  outputs go to {@code <root>/runs/<runName>}
 * @param seed     seed for everything random in the run
 * @param resolved the whole resolved config as nested maps, recorded in provenance
 */
public record JobConfig(
        String runName, long seed, Data data, Model model, Train train, Evaluate evaluate, Render render, Encode encode,
        Generate generate, Map<String, Object> resolved) implements Serializable {

    /** Which data set, where its raw files are, how much of it and how partitioned. */
    public record Data(String dataset, String raw, int limit, int partitions) implements Serializable {
        /** Folder name under {@code <root>/datasets}: a limited dataset never shadows the full one. */
        public String folderName() {
            return limit == 0 ? dataset : dataset + "-limit" + limit;
        }

        /**
         * The data set {@code scripts/fetch-data.sh} fetches into the repository's {@code data/raw} for this config, or
         * {@code -} when the raw files come from elsewhere.
         */
        public String fetchName() {
            return raw.equals("data/raw") ? dataset : "-";
        }
    }

    /** Architecture of the VAE. */
    public record Model(int latent, List<Integer> hidden, String activation, String init) implements Serializable {}

    /**
     * Optimisation and parameter averaging.
     *
     * @param learningRate        the configured step size, before scaling for the workers
     * @param learningRateScaling {@code none}, {@code linear} or {@code sqrt}: see {@link #workerLearningRate()}
     */
    public record Train(
            int epochs, int batchSize, String optimizer, double learningRate, String learningRateScaling, int workers,
            int averagingFrequency, int prefetch, int keepCheckpoints) implements Serializable {

        /** The step size each worker's optimiser runs at: the learning rate times workers, sqrt(workers) or 1. */
        public double workerLearningRate() {
            return switch (learningRateScaling) {
                case "linear" -> learningRate * workers;
                case "sqrt" -> learningRate * Math.sqrt(workers);
                default -> learningRate;
            };
        }
    }

    /**
     * Test-set scoring.
     *
     * @param curve also score every kept epoch checkpoint (the test -ELBO against training examples seen)
     */
    public record Evaluate(int elboSamples, int isSamples, boolean curve) implements Serializable {}

    /**
     * Pictures.
     *
     * @param interpolations rows of the interpolation picture (pairs of test examples)
     * @param outliers       test examples with the highest -ELBO in the outliers picture
     */
    public record Render(int manifoldGrid, int reconstructions, int samples, int scale, int interpolations, int outliers)
            implements Serializable {}

    /**
     * What {@code vae encode} scores.
     *
     * @param split     the prepared dataset's split, when {@code input} is empty
     * @param input     another Parquet folder to score instead, or empty
     * @param name      the output folder's name, or empty for the split's or input folder's name
     * @param isSamples importance samples for a log-likelihood column, 0 for none
     */
    public record Encode(String split, String input, String name, int isSamples) implements Serializable {
        /** The output folder's name under {@code runs/<run>/encode/}. */
        public String folderName() {
            if (!name.isEmpty()) {
                return name;
            }
            if (input.isEmpty()) {
                return split;
            }
            String trimmed = input.replaceAll("/+$", "");
            return trimmed.substring(trimmed.lastIndexOf('/') + 1);
        }
    }

    /**
     * What {@code vae generate} draws.
     *
     * @param samples prior draws to decode
     * @param grid    tiles of the grid picture (the first {@code min(grid, samples)} samples)
     * @param images  also one PNG per sample
     */
    public record Generate(int samples, int grid, boolean images) implements Serializable {}
}

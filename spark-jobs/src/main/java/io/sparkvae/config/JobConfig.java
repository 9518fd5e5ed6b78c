package io.sparkvae.config;

import io.sparkvae.model.AnomalyScore;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A validated job configuration: what every stage of one run reads. Built only by {@link JobConfigLoader}.
 *
 * @param runName  outputs go to {@code <root>/runs/<runName>}
 * @param seed     seed for everything random in the run
 * @param scores   the anomaly scores encode writes and the one outliers are ranked by
 * @param resolved the whole resolved config as nested maps, recorded in provenance
 */
public record JobConfig(
        String runName, long seed, Data data, Model model, Train train, Evaluate evaluate, Render render, Encode encode,
        Generate generate, Score score, Scores scores, Map<String, Object> resolved) implements Serializable {

    /**
     * Which data set, read how, where its raw files are, how much of it and how partitioned.
     *
     * @param dataset      the prepared dataset's name (its folder under {@code <root>/datasets})
     * @param preset       {@code mnist}, {@code punks} or empty: a preset fixes the format, its settings and the splits
     * @param format       {@code idx}, {@code sprite-sheet}, {@code image-folder} or {@code parquet}
     * @param valFraction  share of examples that go to {@code val} by the hash of their id (formats without fixed splits)
     * @param testFraction likewise for {@code test} (unused where an IDX test file gives the test split)
     * @param idx          the IDX files (null unless {@code format} is {@code idx}); likewise the other three
     */
    public record Data(String dataset, String preset, String format, String raw, int limit, int partitions,
            double valFraction, double testFraction, IdxFiles idx, SpriteSheetFile spriteSheet, ImageFolder imageFolder,
            ParquetTable parquet) implements Serializable {
        /** The data sets {@code scripts/fetch-data.sh} can put under the repository's {@code data/raw}, each in its folder. */
        public static final List<String> FETCHABLE = List.of("mnist", "punks", "fashion-mnist");

        /** Folder name under {@code <root>/datasets}: a limited dataset never shadows the full one. */
        public String folderName() {
            return limit == 0 ? dataset : dataset + "-limit" + limit;
        }

        /** True for the presets, whose splits are the project's fixed index ranges. */
        public boolean isPreset() {
            return !preset.isEmpty();
        }

        /**
         * The raw sources the format reads, as configured: file or folder paths relative to {@code raw}, or URIs.
         * An image folder that is {@code raw} itself is the empty string.
         */
        public List<String> sources() {
            return switch (format) {
                case "idx" -> java.util.stream.Stream.of(idx.trainImages(), idx.trainLabels(), idx.testImages(), idx.testLabels())
                        .filter(f -> !f.isEmpty()).toList();
                case "sprite-sheet" -> List.of(spriteSheet.file());
                case "image-folder" -> List.of(imageFolder.path());
                default -> List.of(parquet.path());
            };
        }

        /**
         * Which {@code scripts/fetch-data.sh} data set this config needs when {@code raw} is the repository's
         * {@code data/raw}: {@code mnist}, {@code punks} or {@code fashion-mnist} when every source lies in that data
         * set's folder there, else {@code none} (the data comes from elsewhere and cannot be fetched).
         */
        public String fetchDataSet() {
            for (String set : FETCHABLE) {
                if (sources().stream().allMatch(s -> s.startsWith(set + "/"))) {
                    return set;
                }
            }
            return "none";
        }

        /**
         * The data set {@code scripts/fetch-data.sh} fetches into the repository's {@code data/raw} for this config
         * ({@link #fetchDataSet()}), or {@code -} when the raw files come from elsewhere or cannot be fetched.
         */
        public String fetchName() {
            String set = fetchDataSet();
            return raw.equals("data/raw") && !set.equals("none") ? set : "-";
        }

        /** The format's name and every setting it was read with, in config spelling: what the manifest records. */
        public Map<String, Object> formatSettings() {
            Map<String, Object> m = new java.util.LinkedHashMap<>();
            m.put("name", format);
            if (isPreset()) {
                m.put("preset", preset);
            }
            switch (format) {
                case "idx" -> {
                    m.put("train-images", idx.trainImages());
                    m.put("train-labels", idx.trainLabels());
                    m.put("test-images", idx.testImages());
                    m.put("test-labels", idx.testLabels());
                    m.put("classes", idx.classes());
                }
                case "sprite-sheet" -> {
                    m.put("file", spriteSheet.file());
                    m.put("tile-width", spriteSheet.tileWidth());
                    m.put("tile-height", spriteSheet.tileHeight());
                    m.put("columns", spriteSheet.columns());
                    m.put("count", spriteSheet.count());
                    m.put("order", spriteSheet.order());
                    m.put("channels", spriteSheet.channels());
                    m.put("background", spriteSheet.background());
                }
                case "image-folder" -> {
                    m.put("path", imageFolder.path());
                    m.put("glob", imageFolder.glob());
                    imageFolder.image().putInto(m);
                    m.put("labels", imageFolder.labels());
                    m.put("on-bad-image", imageFolder.onBadImage());
                }
                default -> {
                    m.put("path", parquet.path());
                    m.put("pixels", parquet.pixels());
                    m.put("label", parquet.label());
                    m.put("id", parquet.id());
                    parquet.image().putInto(m);
                }
            }
            if (!isPreset()) {
                m.put("val-fraction", valFraction);
                if (!format.equals("idx") || idx.testImages().isEmpty()) {
                    m.put("test-fraction", testFraction);
                }
            }
            return m;
        }
    }

    /**
     * IDX files (relative to {@code data.raw} or URIs; {@code .gz} is inflated); empty strings for absent ones.
     *
     * @param classes labels must be below this; 0 accepts any unsigned byte
     */
    public record IdxFiles(String trainImages, String trainLabels, String testImages, String testLabels, int classes)
            implements Serializable {}

    /**
     * One image holding a grid of equal tiles.
     *
     * @param order {@code row-major} or {@code column-major}: how tiles are numbered
     */
    public record SpriteSheetFile(String file, int tileWidth, int tileHeight, int columns, int count, String order,
            int channels, String background) implements Serializable {}

    /**
     * The shape decoded images are brought to.
     *
     * @param resize     {@code none}, {@code stretch}, {@code fit} or {@code crop}
     * @param background {@code #rrggbb}, {@code black} or {@code white}: what transparency and fit's padding show
     */
    public record ImageShaping(int width, int height, int channels, String resize, String background) implements Serializable {
        void putInto(Map<String, Object> m) {
            m.put("width", width);
            m.put("height", height);
            m.put("channels", channels);
            m.put("resize", resize);
            m.put("background", background);
        }
    }

    /**
     * A folder tree of image files.
     *
     * @param path       relative to {@code data.raw} or a URI; empty for {@code data.raw} itself
     * @param glob       Hadoop glob the file names must match
     * @param labels     {@code none} or {@code subfolder} (the first folder level below the root is the class)
     * @param onBadImage {@code fail} or {@code skip}
     */
    public record ImageFolder(String path, String glob, ImageShaping image, String labels, String onBadImage) implements Serializable {}

    /**
     * An existing Parquet table.
     *
     * @param pixels column of {@code array<float|double>} in [0,1], an ML {@code Vector}, or {@code binary} (an image file)
     * @param label  integer label column, or empty
     * @param id     id column (unique per example), or empty: the file and row position then serve as the id
     */
    public record ParquetTable(String path, String pixels, String label, String id, ImageShaping image) implements Serializable {}

    /** Architecture of the VAE. */
    public record Model(int latent, List<Integer> hidden, String activation, String init) implements Serializable {}

    /**
     * Optimisation and parameter averaging.
     *
     * @param learningRate        the configured step size, before scaling for the workers
     * @param learningRateScaling {@code none}, {@code linear} or {@code sqrt}: see {@link #workerLearningRate()}
     * @param cacheMegabytes      heap each executor may fill with the training minibatches it has read
     * @param earlyStopping       when to stop before {@code epochs}, judged by the validation -ELBO
     */
    public record Train(
            int epochs, int batchSize, String optimizer, double learningRate, String learningRateScaling, int workers,
            int averagingFrequency, int prefetch, int cacheMegabytes, int keepCheckpoints, EarlyStopping earlyStopping)
            implements Serializable {

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
     * Early stopping: training ends once the validation -ELBO has not improved on its best by more than {@code minDelta}
     * nats for {@code patience} epochs, and the model of its best epoch is the one kept.
     *
     * @param patience epochs without improvement before stopping; 0 turns early stopping off
     */
    public record EarlyStopping(int patience, double minDelta) implements Serializable {
        /** Off: every configured epoch is trained and the last one's model kept. */
        public static final EarlyStopping OFF = new EarlyStopping(0, 0);

        public boolean enabled() {
            return patience > 0;
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
     * What {@code vae score} scores.
     *
     * @param inputs      folders, Hadoop globs and files (local paths or URIs)
     * @param glob        what the names of files in a folder must match
     * @param name        the output folder's name, or empty for one derived from the first input
     * @param skipBad     {@code on-bad-image = skip}: leave unreadable files out instead of refusing
     * @param mostUnusual files with the highest -ELBO in the summary and the picture
     */
    public record Score(List<String> inputs, String glob, String name, boolean skipBad, int mostUnusual) implements Serializable {
        private static final java.util.regex.Pattern IMAGE_EXTENSION =
                java.util.regex.Pattern.compile("(?i)\\.(png|jpe?g|gif|bmp|wbmp)$");

        /** The output folder's name under {@code runs/<run>/score/}: {@code name}, or the first input's last plain segment. */
        public String folderName() {
            if (!name.isEmpty()) {
                return name;
            }
            String last = "";
            if (!inputs.isEmpty()) {
                for (String segment : inputs.get(0).replaceAll("/+$", "").split("/")) {
                    if (!segment.isEmpty() && segment.chars().noneMatch(c -> c == '*' || c == '?' || c == '[' || c == '{')) {
                        last = segment;
                    } else if (!segment.isEmpty()) {
                        break; // the glob's fixed part ends here
                    }
                }
            }
            last = IMAGE_EXTENSION.matcher(last).replaceFirst("");
            return last.isEmpty() || last.contains(":") ? "images" : last;
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

    /**
     * The anomaly scores ({@code scores.*}).
     *
     * @param columns the scores beyond the -ELBO that {@code vae encode} writes (those switched on)
     * @param rankBy  what render's outliers and encode's summary rank by: the -ELBO or one of {@code columns}
     */
    public record Scores(Set<AnomalyScore> columns, AnomalyScore rankBy) implements Serializable {
        public Scores {
            columns = Set.copyOf(columns);
        }
    }
}

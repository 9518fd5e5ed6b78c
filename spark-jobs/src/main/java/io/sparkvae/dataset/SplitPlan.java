package io.sparkvae.dataset;

import java.util.List;

/**
 * Which source indices form train, val and test for each data set (the project's fixed splits).
 *
 * <p>Punks: 0-5999 / 6000-7999 / 8000-9999 of the sheet. MNIST: the first 50,000 and last 10,000 images of
 * the training file, and the 10,000 test images. A positive {@code limit} keeps each split's first examples.
 */
public final class SplitPlan {
    public static final List<String> SPLITS = List.of("train", "val", "test");
    public static final String MNIST_TRAIN_IMAGES = "mnist/train-images-idx3-ubyte";
    public static final String MNIST_TRAIN_LABELS = "mnist/train-labels-idx1-ubyte";
    public static final String MNIST_TEST_IMAGES = "mnist/t10k-images-idx3-ubyte";
    public static final String MNIST_TEST_LABELS = "mnist/t10k-labels-idx1-ubyte";
    public static final String PUNKS_SHEET = "punks/punks.png";

    private SplitPlan() {}

    public static List<SplitRange> forDataset(String dataset, int limit) {
        List<SplitRange> full = switch (dataset) {
            case "punks" -> List.of(
                    new SplitRange("train", PUNKS_SHEET, 0, 6000),
                    new SplitRange("val", PUNKS_SHEET, 6000, 2000),
                    new SplitRange("test", PUNKS_SHEET, 8000, 2000));
            case "mnist" -> List.of(
                    new SplitRange("train", MNIST_TRAIN_IMAGES, 0, 50_000),
                    new SplitRange("val", MNIST_TRAIN_IMAGES, 50_000, 10_000),
                    new SplitRange("test", MNIST_TEST_IMAGES, 0, 10_000));
            default -> throw new IllegalArgumentException("unknown dataset " + dataset);
        };
        if (limit <= 0) {
            return full;
        }
        return full.stream()
                .map(r -> new SplitRange(r.split(), r.sourceFile(), r.firstIndex(), Math.min(limit, r.count())))
                .toList();
    }

    /** The raw files a data set is read from (relative to the raw folder). */
    public static List<String> sourceFiles(String dataset) {
        return switch (dataset) {
            case "punks" -> List.of(PUNKS_SHEET);
            case "mnist" -> List.of(MNIST_TRAIN_IMAGES, MNIST_TRAIN_LABELS, MNIST_TEST_IMAGES, MNIST_TEST_LABELS);
            default -> throw new IllegalArgumentException("unknown dataset " + dataset);
        };
    }
}

package io.sparkvae.dataset;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Which indices of a single-file format's sources form train, val and test.
 *
 * <p>Presets keep the project's fixed ranges. Punks: 0-5999 / 6000-7999 / 8000-9999 of the sheet. MNIST: the first
 * 50,000 and last 10,000 images of the training file, and the 10,000 test images. Every other IDX set or sprite sheet
 * is split by {@link SplitHash} of each example's index (its id), except that an IDX test file is the test split. A
 * positive {@code limit} keeps each split's first examples.
 */
public final class SplitPlan {
    public static final List<String> SPLITS = List.of("train", "val", "test");
    public static final String MNIST_TRAIN_IMAGES = "mnist/train-images-idx3-ubyte";
    public static final String MNIST_TEST_IMAGES = "mnist/t10k-images-idx3-ubyte";
    public static final String PUNKS_SHEET = "punks/punks.png";

    private static final Map<String, List<SplitRange>> PRESETS = Map.of(
            "punks", List.of(
                    SplitRange.consecutive("train", PUNKS_SHEET, 0, 6000),
                    SplitRange.consecutive("val", PUNKS_SHEET, 6000, 2000),
                    SplitRange.consecutive("test", PUNKS_SHEET, 8000, 2000)),
            "mnist", List.of(
                    SplitRange.consecutive("train", MNIST_TRAIN_IMAGES, 0, 50_000),
                    SplitRange.consecutive("val", MNIST_TRAIN_IMAGES, 50_000, 10_000),
                    SplitRange.consecutive("test", MNIST_TEST_IMAGES, 0, 10_000)));

    private SplitPlan() {}

    /** A preset's fixed ranges, each cut to its first {@code limit} examples. */
    public static List<SplitRange> forPreset(String preset, int limit) {
        List<SplitRange> full = PRESETS.get(preset);
        if (full == null) {
            throw new IllegalArgumentException("no fixed splits for preset " + preset);
        }
        return full.stream().map(r -> r.limited(limit)).toList();
    }

    /**
     * Hashed splits of a main source of {@code count} examples; with a test source of {@code testCount} examples,
     * that is the test split and the main source gives only train and val.
     *
     * @param testSource null without a test file
     */
    public static List<SplitRange> hashed(String source, int count, String testSource, int testCount, double valFraction,
            double testFraction, int limit) {
        double test = testSource == null ? testFraction : 0;
        List<Integer> train = new ArrayList<>();
        List<Integer> val = new ArrayList<>();
        List<Integer> held = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            switch (SplitHash.split(Integer.toString(i), valFraction, test)) {
                case "train" -> train.add(i);
                case "val" -> val.add(i);
                default -> held.add(i);
            }
        }
        SplitRange testRange = testSource == null ? new SplitRange("test", source, ints(held))
                : SplitRange.consecutive("test", testSource, 0, testCount);
        return List.of(new SplitRange("train", source, ints(train)).limited(limit), new SplitRange("val", source, ints(val)).limited(limit),
                testRange.limited(limit));
    }

    private static int[] ints(List<Integer> list) {
        return list.stream().mapToInt(Integer::intValue).toArray();
    }
}

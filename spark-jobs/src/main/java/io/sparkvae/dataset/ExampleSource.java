package io.sparkvae.dataset;

import io.sparkvae.data.IdxImages;
import io.sparkvae.data.IdxReader;
import io.sparkvae.data.ImageShape;
import io.sparkvae.data.PunkSheet;
import java.io.Serializable;
import java.util.Map;

/**
 * Decoded raw data an executor cuts examples from. Built from the raw files' bytes (broadcast once), so the
 * slicing happens on the executors and the driver never loops over examples.
 */
public interface ExampleSource {
    ImageShape shape();

    /** Pixels of example {@code index} of {@code sourceFile}, HWC floats in [0,1]. */
    float[] pixels(String sourceFile, int index);

    /** The label, or null where the data set has none. */
    Integer label(String sourceFile, int index);

    /** How many examples {@code sourceFile} holds. */
    int size(String sourceFile);

    /** Decodes a data set's raw files ({@link SplitPlan#sourceFiles}); throws BadInputException on bad bytes. */
    static ExampleSource decode(String dataset, Map<String, byte[]> raw) {
        return switch (dataset) {
            case "punks" -> new Punks(PunkSheet.decode(raw.get(SplitPlan.PUNKS_SHEET), SplitPlan.PUNKS_SHEET));
            case "mnist" -> Mnist.decode(raw);
            default -> throw new IllegalArgumentException("unknown dataset " + dataset);
        };
    }

    /** The CryptoPunks sheet. */
    record Punks(PunkSheet sheet) implements ExampleSource, Serializable {
        @Override
        public ImageShape shape() {
            return PunkSheet.SHAPE;
        }

        @Override
        public float[] pixels(String sourceFile, int index) {
            return sheet.tile(index);
        }

        @Override
        public Integer label(String sourceFile, int index) {
            return null;
        }

        @Override
        public int size(String sourceFile) {
            return PunkSheet.COUNT;
        }
    }

    /** MNIST's four IDX files. */
    record Mnist(IdxImages trainImages, int[] trainLabels, IdxImages testImages, int[] testLabels)
            implements ExampleSource, Serializable {
        static Mnist decode(Map<String, byte[]> raw) {
            var trainImages = IdxReader.readImages(raw.get(SplitPlan.MNIST_TRAIN_IMAGES), SplitPlan.MNIST_TRAIN_IMAGES);
            var trainLabels = IdxReader.readLabels(raw.get(SplitPlan.MNIST_TRAIN_LABELS), SplitPlan.MNIST_TRAIN_LABELS);
            var testImages = IdxReader.readImages(raw.get(SplitPlan.MNIST_TEST_IMAGES), SplitPlan.MNIST_TEST_IMAGES);
            var testLabels = IdxReader.readLabels(raw.get(SplitPlan.MNIST_TEST_LABELS), SplitPlan.MNIST_TEST_LABELS);
            requireSameCount(trainImages.count(), trainLabels.length, SplitPlan.MNIST_TRAIN_LABELS);
            requireSameCount(testImages.count(), testLabels.length, SplitPlan.MNIST_TEST_LABELS);
            return new Mnist(trainImages, trainLabels, testImages, testLabels);
        }

        private static void requireSameCount(int images, int labels, String labelFile) {
            if (images != labels) {
                throw new io.sparkvae.io.BadInputException(
                        labelFile + ": has " + labels + " labels but its image file has " + images + " images");
            }
        }

        @Override
        public ImageShape shape() {
            return new ImageShape(trainImages.rows(), trainImages.cols(), 1);
        }

        private boolean isTest(String sourceFile) {
            return sourceFile.equals(SplitPlan.MNIST_TEST_IMAGES);
        }

        @Override
        public float[] pixels(String sourceFile, int index) {
            return (isTest(sourceFile) ? testImages : trainImages).image(index);
        }

        @Override
        public Integer label(String sourceFile, int index) {
            return (isTest(sourceFile) ? testLabels : trainLabels)[index];
        }

        @Override
        public int size(String sourceFile) {
            return (isTest(sourceFile) ? testImages : trainImages).count();
        }
    }
}

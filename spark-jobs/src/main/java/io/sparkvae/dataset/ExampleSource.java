package io.sparkvae.dataset;

import io.sparkvae.data.IdxSet;
import io.sparkvae.data.ImageShape;
import io.sparkvae.data.SpriteSheet;
import java.io.Serializable;

/**
 * A single-file format's decoded data, broadcast once so that executors cut the examples (the driver never loops
 * over them). Examples are addressed by source file (as configured) and position in it.
 */
public interface ExampleSource extends Serializable {
    ImageShape shape();

    /** Pixels of example {@code index} of {@code sourceFile}, HWC floats in [0,1]. */
    float[] pixels(String sourceFile, int index);

    /** The label, or null where the data set has none. */
    Integer label(String sourceFile, int index);

    /** How many examples {@code sourceFile} holds. */
    int size(String sourceFile);

    /** An IDX set: the training file and, when configured, the test file. */
    record Idx(IdxSet set, String trainFile, String testFile) implements ExampleSource {
        @Override
        public ImageShape shape() {
            return set.shape();
        }

        private boolean isTest(String sourceFile) {
            return sourceFile.equals(testFile);
        }

        @Override
        public float[] pixels(String sourceFile, int index) {
            return (isTest(sourceFile) ? set.testImages() : set.trainImages()).image(index);
        }

        @Override
        public Integer label(String sourceFile, int index) {
            int[] labels = isTest(sourceFile) ? set.testLabels() : set.trainLabels();
            return labels == null ? null : labels[index];
        }

        @Override
        public int size(String sourceFile) {
            return (isTest(sourceFile) ? set.testImages() : set.trainImages()).count();
        }
    }

    /** A sprite sheet: one file of tiles, without labels. */
    record Sprites(SpriteSheet sheet) implements ExampleSource {
        @Override
        public ImageShape shape() {
            return sheet.shape();
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
            return sheet.count();
        }
    }
}

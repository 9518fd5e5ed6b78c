package io.sparkvae.data;

import io.sparkvae.io.BadInputException;
import java.io.Serializable;

/**
 * An IDX image data set: a training image file with optional labels, and an optional test image file with optional
 * labels, checked against each other (label counts, one image shape).
 *
 * @param trainLabels null without a label file
 * @param testImages  null without a test file
 * @param testLabels  null without a test label file
 */
public record IdxSet(IdxImages trainImages, int[] trainLabels, IdxImages testImages, int[] testLabels) implements Serializable {

    /** A raw file's name (as users should see it in messages) and its bytes as stored ({@code .gz} still compressed). */
    public record NamedBytes(String name, byte[] bytes) {}

    /**
     * Parses the files (inflating those named {@code *.gz}).
     *
     * @param trainLabels null for none; likewise {@code testImages} and {@code testLabels}
     * @param classes     labels must be below this; 0 accepts any unsigned byte
     * @throws BadInputException (one line naming the file) on any malformed file, a label file whose count differs
     *                           from its image file's, or test images of another size than the training images
     */
    public static IdxSet read(NamedBytes trainImages, NamedBytes trainLabels, NamedBytes testImages, NamedBytes testLabels,
            int classes) {
        IdxImages train = images(trainImages);
        int[] trainL = labels(trainLabels, classes, train, trainImages.name());
        IdxImages test = testImages == null ? null : images(testImages);
        if (test != null && (test.rows() != train.rows() || test.cols() != train.cols())) {
            throw new BadInputException(testImages.name() + ": images are " + test.rows() + "x" + test.cols()
                    + " but the training images " + trainImages.name() + " are " + train.rows() + "x" + train.cols());
        }
        int[] testL = test == null ? null : labels(testLabels, classes, test, testImages.name());
        return new IdxSet(train, trainL, test, testL);
    }

    private static IdxImages images(NamedBytes f) {
        return IdxReader.readImages(Gunzip.contentOf(f.name(), f.bytes()), f.name());
    }

    private static int[] labels(NamedBytes f, int classes, IdxImages images, String imageFile) {
        if (f == null) {
            return null;
        }
        int[] labels = IdxReader.readLabels(Gunzip.contentOf(f.name(), f.bytes()), f.name(), classes);
        if (labels.length != images.count()) {
            throw new BadInputException(f.name() + ": has " + labels.length + " labels but its image file has " + images.count()
                    + " images (" + imageFile + ")");
        }
        return labels;
    }

    /** Shape of one image. */
    public ImageShape shape() {
        return trainImages.shape();
    }
}

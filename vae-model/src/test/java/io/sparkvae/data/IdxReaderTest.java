package io.sparkvae.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkvae.io.BadInputException;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class IdxReaderTest {

    @Test
    @Tag(RawData.TAG)
    void realMnistFilesParse() throws IOException {
        IdxImages train = IdxReader.readImages(RawData.bytes("mnist/train-images-idx3-ubyte"), "train-images-idx3-ubyte");
        int[] trainLabels = IdxReader.readLabels(RawData.bytes("mnist/train-labels-idx1-ubyte"), "train-labels-idx1-ubyte");
        IdxImages test = IdxReader.readImages(RawData.bytes("mnist/t10k-images-idx3-ubyte"), "t10k-images-idx3-ubyte");
        int[] testLabels = IdxReader.readLabels(RawData.bytes("mnist/t10k-labels-idx1-ubyte"), "t10k-labels-idx1-ubyte");

        assertEquals(60000, train.count());
        assertEquals(10000, test.count());
        assertEquals(60000, trainLabels.length);
        assertEquals(10000, testLabels.length);
        assertEquals(new ImageShape(28, 28, 1), train.shape());
        assertEquals(28, test.rows());
        assertEquals(28, test.cols());
        assertEquals(5, trainLabels[0]);
        assertEquals(7, testLabels[0]);

        float[] first = train.image(0);
        assertEquals(784, first.length);
        float min = 1, max = 0;
        for (float v : first) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        assertEquals(0f, min);
        assertEquals(1f, max); // the first "5" has saturated strokes
        assertEquals(0f, first[0]); // corners of MNIST digits are background
    }

    @Test
    void tinyHandBuiltRoundTrip() {
        byte[] pixels = {0, 1, 2, 3, 4, 5, (byte) 255, (byte) 128, 7, 8, 9, 10};
        IdxImages images = IdxReader.readImages(images(2, 2, 3, pixels), "tiny");
        assertEquals(2, images.count());
        assertEquals(2, images.rows());
        assertEquals(3, images.cols());
        assertArrayEquals(new float[] {0, 1 / 255f, 2 / 255f, 3 / 255f, 4 / 255f, 5 / 255f}, images.image(0));
        assertArrayEquals(new float[] {1f, 128 / 255f, 7 / 255f, 8 / 255f, 9 / 255f, 10 / 255f}, images.image(1));
        assertThrows(IllegalArgumentException.class, () -> images.image(2));
        assertThrows(IllegalArgumentException.class, () -> images.image(-1));

        assertArrayEquals(new int[] {0, 9, 3}, IdxReader.readLabels(labels(0, 9, 3), "tiny-labels"));
    }

    @Test
    void wrongMagicIsRefused() {
        byte[] labelFile = labels(1, 2);
        expectBad(() -> IdxReader.readImages(labelFile, "x-images"), "x-images: wrong IDX magic 0x00000801, expected 0x00000803");
        byte[] imageFile = images(1, 1, 1, new byte[] {0});
        expectBad(() -> IdxReader.readLabels(imageFile, "x-labels"), "x-labels: wrong IDX magic 0x00000803, expected 0x00000801");
        expectBad(() -> IdxReader.readImages("<html>not mnist</html>".getBytes(), "page"), "page: wrong IDX magic");
    }

    @Test
    void truncatedHeaderIsRefused() {
        byte[] header = Arrays.copyOf(images(1, 2, 2, new byte[4]), 12);
        expectBad(() -> IdxReader.readImages(header, "short"), "short: truncated IDX header: expected 16 bytes, found 12");
        expectBad(() -> IdxReader.readImages(new byte[2], "tiny"), "tiny: truncated IDX header: expected 16 bytes, found 2");
        expectBad(() -> IdxReader.readLabels(Arrays.copyOf(labels(1), 6), "short-labels"),
                "short-labels: truncated IDX header: expected 8 bytes, found 6");
    }

    @Test
    void truncatedBodyIsRefused() {
        byte[] cut = images(60000, 28, 28, new byte[1000]); // MNIST's header, cut 1000 bytes into its pixels
        expectBad(() -> IdxReader.readImages(cut, "train-images-idx3-ubyte"),
                "train-images-idx3-ubyte: truncated IDX body: expected 47040000 bytes of pixels, found 1000");
        byte[] lab = labels(1, 2, 3);
        expectBad(() -> IdxReader.readLabels(Arrays.copyOf(lab, lab.length - 1), "l"),
                "l: truncated IDX body: expected 3 bytes of labels, found 2");
    }

    @Test
    void trailingBytesAreRefused() {
        byte[] img = images(1, 2, 2, new byte[4]);
        expectBad(() -> IdxReader.readImages(Arrays.copyOf(img, img.length + 3), "padded"),
                "padded: trailing bytes after IDX body: expected 4 bytes of pixels, found 7");
        byte[] lab = labels(1, 2);
        expectBad(() -> IdxReader.readLabels(Arrays.copyOf(lab, lab.length + 1), "padded-labels"),
                "padded-labels: trailing bytes after IDX body: expected 2 bytes of labels, found 3");
    }

    @Test
    void zeroOrAbsurdDimensionsAreRefused() {
        expectBad(() -> IdxReader.readImages(images(0, 28, 28, new byte[0]), "empty"), "empty: IDX image count must be positive");
        expectBad(() -> IdxReader.readImages(images(1, 0, 28, new byte[0]), "flat"), "flat: IDX image size 0x28 is out of range");
        expectBad(() -> IdxReader.readImages(images(1, 28, 1 << 20, new byte[0]), "wide"),
                "wide: IDX image size 28x1048576 is out of range");
        // A count with the top bit set would be negative if trusted.
        expectBad(() -> IdxReader.readImages(images(0x80000000, 28, 28, new byte[0]), "neg"),
                "neg: IDX image count must be positive, header says 2147483648");
        // count*rows*cols overflows int: must still be reported as a truncated body, not wrap around.
        expectBad(() -> IdxReader.readImages(images(0x7FFFFFFF, 10_000, 10_000, new byte[0]), "huge"),
                "huge: truncated IDX body: expected 214748364700000000 bytes of pixels, found 0");
        expectBad(() -> IdxReader.readLabels(labels(), "nolabels"), "nolabels: IDX label count must be positive");
    }

    @Test
    void labelAboveNineIsRefused() {
        expectBad(() -> IdxReader.readLabels(labels(3, 9, 10, 1), "bad-labels"),
                "bad-labels: label 10 at index 2 is out of range 0-9");
        expectBad(() -> IdxReader.readLabels(labels(255), "bad-labels"), "bad-labels: label 255 at index 0");
    }

    /** Asserts a BadInputException whose single-line message starts with {@code prefix}. */
    private static void expectBad(Executable call, String prefix) {
        BadInputException e = assertThrows(BadInputException.class, call);
        assertTrue(e.getMessage().startsWith(prefix), () -> "message was: " + e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "message must be one line");
    }

    private static byte[] images(int count, int rows, int cols, byte[] pixels) {
        try (ByteArrayOutputStream bytes = new ByteArrayOutputStream(); DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(IdxReader.IMAGES_MAGIC);
            out.writeInt(count);
            out.writeInt(rows);
            out.writeInt(cols);
            out.write(pixels);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] labels(int... values) {
        byte[] b = new byte[8 + values.length];
        b[3] = 0x01;
        b[2] = 0x08;
        b[7] = (byte) values.length;
        for (int i = 0; i < values.length; i++) {
            b[8 + i] = (byte) values[i];
        }
        return b;
    }
}

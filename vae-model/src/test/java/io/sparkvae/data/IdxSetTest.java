package io.sparkvae.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkvae.io.BadInputException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** IDX sets from plain and gzip files: the pairing checks and gzip's failure modes. */
class IdxSetTest {

    static byte[] images(int count, int rows, int cols) {
        ByteBuffer b = ByteBuffer.allocate(16 + count * rows * cols);
        b.putInt(IdxReader.IMAGES_MAGIC).putInt(count).putInt(rows).putInt(cols);
        for (int i = 0; i < count * rows * cols; i++) {
            b.put((byte) (i * 7));
        }
        return b.array();
    }

    static byte[] labels(int... values) {
        ByteBuffer b = ByteBuffer.allocate(8 + values.length);
        b.putInt(IdxReader.LABELS_MAGIC).putInt(values.length);
        for (int v : values) {
            b.put((byte) v);
        }
        return b.array();
    }

    static byte[] gzip(byte[] bytes) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
                gz.write(bytes);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static IdxSet.NamedBytes f(String name, byte[] bytes) {
        return new IdxSet.NamedBytes(name, bytes);
    }

    @Test
    void gzipAndPlainFilesGiveTheSameSet() {
        byte[] img = images(3, 2, 2);
        byte[] lab = labels(0, 200, 7);
        IdxSet plain = IdxSet.read(f("tr", img), f("tl", lab), f("te", img), null, 0);
        IdxSet gz = IdxSet.read(f("tr.gz", gzip(img)), f("tl.gz", gzip(lab)), f("te.gz", gzip(img)), null, 0);
        assertArrayEquals(plain.trainImages().pixels(), gz.trainImages().pixels());
        assertArrayEquals(new int[] {0, 200, 7}, gz.trainLabels());
        assertEquals(3, gz.testImages().count());
        assertNull(gz.testLabels());
        assertEquals(new ImageShape(2, 2, 1), gz.shape());
        // Only the name decides: a .gz name over plain bytes is refused, plain bytes under another name are read.
        expectBad(() -> IdxSet.read(f("tr.gz", img), null, null, null, 0), "tr.gz: not a readable gzip file");
    }

    @Test
    void aGzipFileCutMidStreamIsRefusedNamingIt() {
        byte[] gz = gzip(images(500, 28, 28));
        expectBad(() -> IdxSet.read(f("data/train-images-idx3-ubyte.gz", Arrays.copyOf(gz, gz.length / 2)), null, null, null, 0),
                "data/train-images-idx3-ubyte.gz: truncated gzip stream");
    }

    @Test
    void testImagesOfAnotherShapeAreRefusedNamingBothFiles() {
        expectBad(() -> IdxSet.read(f("train.idx", images(2, 28, 28)), null, f("test.idx", images(2, 32, 28)), null, 0),
                "test.idx: images are 32x28 but the training images train.idx are 28x28");
    }

    @Test
    void labelCountsAndClassesAreChecked() {
        expectBad(() -> IdxSet.read(f("tr", images(3, 2, 2)), f("tl", labels(1, 2)), null, null, 0),
                "tl: has 2 labels but its image file has 3 images (tr)");
        expectBad(() -> IdxSet.read(f("tr", images(2, 2, 2)), f("tl", labels(1, 10)), null, null, 10),
                "tl: label 10 at index 1 is out of range 0-9");
        assertArrayEquals(new int[] {1, 255}, IdxSet.read(f("tr", images(2, 2, 2)), f("tl", labels(1, 255)), null, null, 0).trainLabels());
    }

    @Test
    @Tag(RawData.TAG)
    void realMnistLabelsGzippedHereMatchThePlainFile() throws IOException {
        byte[] plain = RawData.bytes("mnist/t10k-labels-idx1-ubyte");
        assertArrayEquals(IdxReader.readLabels(plain, "plain"), IdxReader.readLabels(Gunzip.contentOf("x.gz", gzip(plain)), "x.gz"));
        assertTrue(Gunzip.isGzipName("a.gz"));
        assertFalse(Gunzip.isGzipName("a.gzip"));
    }

    private static void expectBad(Executable call, String prefix) {
        BadInputException e = assertThrows(BadInputException.class, call);
        assertTrue(e.getMessage().startsWith(prefix), () -> "message was: " + e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "message must be one line");
    }
}

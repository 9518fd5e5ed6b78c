package io.sparkvae.data;

import io.sparkvae.io.BadInputException;
import java.util.Arrays;

/** Strict parser of MNIST-style IDX files (unsigned-byte images and labels) from bytes already in memory. */
public final class IdxReader {

    /** Magic of an IDX file of unsigned bytes with 3 dimensions (images). */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** Magic of an IDX file of unsigned bytes with 1 dimension (labels). */
    public static final int LABELS_MAGIC = 0x00000801;
    /** Largest image side accepted: far beyond any real IDX image set, while a corrupt header usually claims millions. */
    public static final int MAX_SIDE = 10_000;

    private static final int IMAGES_HEADER = 16;
    private static final int LABELS_HEADER = 8;
    /** MNIST's classes: the digits 0-9. */
    public static final int DIGITS = 10;

    private IdxReader() {
    }

    /**
     * Parses an IDX3 unsigned-byte image file.
     *
     * @param bytes  the whole file
     * @param source name of the file, used in error messages
     * @throws BadInputException (one line naming {@code source}) on a wrong magic, a short header, zero or absurd
     *                           dimensions, or a body whose length is not exactly count*rows*cols
     */
    public static IdxImages readImages(byte[] bytes, String source) {
        checkHeader(bytes, source, IMAGES_MAGIC, IMAGES_HEADER, "images");
        int count = readInt(bytes, 4);
        int rows = readInt(bytes, 8);
        int cols = readInt(bytes, 12);
        // Header ints are read signed: a count with the top bit set is as absurd as zero.
        if (count <= 0) {
            throw bad(source, "IDX image count must be positive, header says " + Integer.toUnsignedString(count));
        }
        if (rows <= 0 || cols <= 0 || rows > MAX_SIDE || cols > MAX_SIDE) {
            throw bad(source, "IDX image size " + Integer.toUnsignedString(rows) + "x" + Integer.toUnsignedString(cols)
                    + " is out of range 1.." + MAX_SIDE);
        }
        // long: a corrupt header must not overflow into a plausible-looking size.
        long expected = (long) count * rows * cols;
        checkBody(bytes, source, IMAGES_HEADER, expected, "pixels");
        return new IdxImages(count, rows, cols, Arrays.copyOfRange(bytes, IMAGES_HEADER, bytes.length));
    }

    /** Parses an IDX1 label file whose labels are digits 0-9 (MNIST's): {@link #readLabels(byte[], String, int)} with 10. */
    public static int[] readLabels(byte[] bytes, String source) {
        return readLabels(bytes, source, DIGITS);
    }

    /**
     * Parses an IDX1 unsigned-byte label file.
     *
     * @param bytes   the whole file
     * @param source  name of the file, used in error messages
     * @param classes labels must be below this (1..256); 0 accepts every unsigned byte
     * @throws BadInputException (one line naming {@code source}) on a wrong magic, a short header, a zero count,
     *                           a body whose length is not exactly the count, or a label of {@code classes} or more
     */
    public static int[] readLabels(byte[] bytes, String source, int classes) {
        if (classes < 0 || classes > 256) {
            throw new IllegalArgumentException("classes must be 0..256, got " + classes);
        }
        int maxLabel = classes == 0 ? 255 : classes - 1;
        checkHeader(bytes, source, LABELS_MAGIC, LABELS_HEADER, "labels");
        int count = readInt(bytes, 4);
        if (count <= 0) {
            throw bad(source, "IDX label count must be positive, header says " + Integer.toUnsignedString(count));
        }
        checkBody(bytes, source, LABELS_HEADER, count, "labels");
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            int label = bytes[LABELS_HEADER + i] & 0xFF;
            if (label > maxLabel) {
                throw bad(source, "label " + label + " at index " + i + " is out of range 0-" + maxLabel);
            }
            labels[i] = label;
        }
        return labels;
    }

    private static void checkHeader(byte[] bytes, String source, int magic, int headerLength, String what) {
        if (bytes == null || bytes.length < 4) {
            throw bad(source, "truncated IDX header: expected " + headerLength + " bytes, found "
                    + (bytes == null ? 0 : bytes.length));
        }
        int found = readInt(bytes, 0);
        if (found != magic) {
            throw bad(source, String.format("wrong IDX magic 0x%08x, expected 0x%08x (unsigned-byte %s)", found, magic, what));
        }
        if (bytes.length < headerLength) {
            throw bad(source, "truncated IDX header: expected " + headerLength + " bytes, found " + bytes.length);
        }
    }

    private static void checkBody(byte[] bytes, String source, int headerLength, long expected, String what) {
        long found = bytes.length - headerLength;
        if (found < expected) {
            throw bad(source, "truncated IDX body: expected " + expected + " bytes of " + what + ", found " + found);
        }
        if (found > expected) {
            throw bad(source, "trailing bytes after IDX body: expected " + expected + " bytes of " + what
                    + ", found " + found);
        }
    }

    private static int readInt(byte[] b, int off) {
        return (b[off] & 0xFF) << 24 | (b[off + 1] & 0xFF) << 16 | (b[off + 2] & 0xFF) << 8 | (b[off + 3] & 0xFF);
    }

    private static BadInputException bad(String source, String problem) {
        return new BadInputException(source + ": " + problem);
    }
}

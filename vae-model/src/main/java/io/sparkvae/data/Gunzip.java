package io.sparkvae.data;

import io.sparkvae.io.BadInputException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/** Inflates raw files whose name ends in {@code .gz} (the canonical MNIST-style IDX files are gzip-compressed). */
public final class Gunzip {
    /** Largest inflated size accepted: what one Java array holds. */
    static final long MAX_INFLATED = Integer.MAX_VALUE - 16L;

    private Gunzip() {}

    /** True when {@code name} is read as gzip. */
    public static boolean isGzipName(String name) {
        return name.endsWith(".gz");
    }

    /**
     * The file's content: {@code bytes} inflated when {@code name} ends in {@code .gz}, else {@code bytes} unchanged.
     *
     * @throws BadInputException (one line naming {@code name}) on a truncated or corrupt gzip stream
     */
    public static byte[] contentOf(String name, byte[] bytes) {
        return isGzipName(name) ? inflate(bytes, name) : bytes;
    }

    /**
     * Inflates a whole gzip stream (every member of a multi-member file).
     *
     * @throws BadInputException (one line naming {@code source}) on bytes that are not gzip, a stream that ends early,
     *                           corrupt compressed data or content too large for one array
     */
    public static byte[] inflate(byte[] bytes, String source) {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes), 64 * 1024)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(1024, bytes.length * 4));
            byte[] buffer = new byte[64 * 1024];
            long total = 0;
            for (int n; (n = in.read(buffer)) > 0; ) {
                total += n;
                if (total > MAX_INFLATED) {
                    throw new BadInputException(source + ": gzip content is larger than " + MAX_INFLATED + " bytes");
                }
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        } catch (EOFException e) {
            // GZIPInputStream says "Unexpected end of ZLIB input stream" when the file was cut mid-stream.
            throw new BadInputException(source + ": truncated gzip stream (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            // "Not in GZIP format", "invalid stored block lengths", "Corrupt GZIP trailer", ...
            throw new BadInputException(source + ": not a readable gzip file (" + e.getMessage() + ")", e);
        }
    }
}

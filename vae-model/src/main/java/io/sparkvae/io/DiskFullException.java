package io.sparkvae.io;

import java.util.Locale;

/**
 * A write that ran out of space (ENOSPC, a disk quota, an HDFS space quota), naming the output it was writing and the
 * space its file system had left. Hadoop's local file system reports a full disk as {@code FSError}, an
 * {@link Error}; Spark wraps it into a {@code SparkException}; both are recognised here, wherever they were thrown.
 */
public final class DiskFullException extends RetryableFailure {
    private DiskFullException(String message, Throwable cause) {
        super(message, cause);
    }

    /** True when {@code failure} or one of its causes says that a disk or a quota is full. */
    public static boolean isDiskFull(Throwable failure) {
        for (Throwable c = failure; c != null; c = c.getCause() == c ? null : c.getCause()) {
            String name = c.getClass().getSimpleName();
            if (name.equals("DSQuotaExceededException") || name.equals("QuotaExceededException")) {
                return true;
            }
            String m = c.getMessage();
            if (m != null && (m.contains("No space left on device") || m.contains("Disk quota exceeded"))) {
                return true;
            }
        }
        return false;
    }

    /** True when {@code failure} or one of its causes already is a DiskFullException (it names what was written). */
    public static boolean named(Throwable failure) {
        for (Throwable c = failure; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof DiskFullException) {
                return true;
            }
        }
        return false;
    }

    /**
     * The failure of writing {@code output} (or a file or temporary sibling of it) when the disk was full.
     *
     * @param freeBytes the space left where {@code output} lives, or a negative number when unknown
     */
    public static DiskFullException writing(Object output, long freeBytes, Throwable cause) {
        String where = freeBytes < 0 ? "" : freeBytes < FULL_BELOW
                ? " (its file system has " + bytes(freeBytes) + " free)"
                : " (its file system still has " + bytes(freeBytes) + " free, so the full disk is likely another one the"
                        + " job writes to: Spark's local directories, spark.local.dir, default /tmp)";
        return new DiskFullException("no space left on device while writing " + output + where + "; nothing was"
                + " committed: free some space and rerun", cause);
    }

    /** Less free space than this counts as the full file system (a write needs room for a block or a buffer). */
    private static final long FULL_BELOW = 256L << 20;

    static String bytes(long n) {
        if (n < 1024) {
            return n + " bytes";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}

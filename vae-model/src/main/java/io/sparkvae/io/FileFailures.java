package io.sparkvae.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.FileSystemException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.ParentNotDirectoryException;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.UnsupportedFileSystemException;
import org.apache.hadoop.security.AccessControlException;

/**
 * Failure classification: turns what a file system threw into the exception the user's exit code follows
 * ({@link BadInputException}: exit 2; {@link FileSystemUnreachableException}, {@link DiskFullException}: exit 1, one
 * line; anything else unchecked with what was being done).
 */
final class FileFailures {
    private static final Pattern TIMEOUT_MILLIS = Pattern.compile("(\\d+) millis timeout");

    private FileFailures() {
    }

    /** Why {@code p}'s file system could not be opened, as the error the user sees. */
    static RuntimeException openFailure(Path p, Exception e) {
        FileSystemUnreachableException unreachable = unreachable(p, e);
        if (unreachable != null) {
            return unreachable;
        }
        String scheme = p.toUri().getScheme();
        String supported = "this build reads and writes local paths, file://, hdfs:// and s3a://";
        if (e instanceof UnsupportedFileSystemException) {
            return new BadInputException(p + ": no file system for scheme '" + scheme + "'; " + supported, e);
        }
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof ClassNotFoundException) {
                return new BadInputException(p + ": the file system for scheme '" + scheme + "' is not on the classpath ("
                        + c.getMessage() + "); " + supported, e);
            }
        }
        return new BadInputException("cannot open file system for " + p + ": " + e.getMessage(), e);
    }

    /**
     * {@code e} as a {@link FileSystemUnreachableException} naming {@code p} when it says the file system could not be
     * reached (unknown host, connection refused, no answer in time), else null.
     */
    static FileSystemUnreachableException unreachable(Path p, Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            String reason = null;
            if (c instanceof UnknownHostException) {
                reason = "unknown host " + c.getMessage();
            } else if (c instanceof ConnectException) {
                reason = "connection refused";
            } else if (c instanceof NoRouteToHostException) {
                reason = "no route to host";
            } else if (c instanceof SocketTimeoutException) {
                Matcher m = TIMEOUT_MILLIS.matcher(String.valueOf(c.getMessage()));
                reason = "no answer" + (m.find() ? " within " + Long.parseLong(m.group(1)) / 1000 + " s" : " in time");
            }
            if (reason != null) {
                return new FileSystemUnreachableException("cannot reach " + p + ": " + reason, e);
            }
        }
        return null;
    }

    /** An I/O failure on {@code p}: unreachable (its own message), else unchecked with {@code what} it was doing. */
    static RuntimeException ioFailure(String what, Path p, IOException e) {
        FileSystemUnreachableException unreachable = unreachable(p, e);
        return unreachable != null ? unreachable : new UncheckedIOException(what + " " + p, e);
    }

    /** A folder that cannot be created: unreachable, else bad input naming it (a file in the way, permissions). */
    static RuntimeException mkdirsFailure(Path dir, IOException e) {
        FileSystemUnreachableException unreachable = unreachable(dir, e);
        return unreachable != null ? unreachable : new BadInputException("cannot create directory " + dir + ": " + e.getMessage(), e);
    }

    /**
     * A write refused by the file system itself is bad input (exit 2); anything else may be transient (exit 1). A full
     * disk is {@code files.diskFull}, which measures the space left.
     */
    static RuntimeException writeFailure(HadoopFiles files, Path p, IOException e) {
        if (DiskFullException.isDiskFull(e)) {
            return files.diskFull(p, e);
        }
        if (e instanceof FileSystemException || e instanceof AccessControlException || e instanceof ParentNotDirectoryException) {
            String reason = e instanceof FileSystemException f ? (f.getReason() != null ? f.getReason() : "permission denied")
                    : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
            return new BadInputException("cannot write " + p + ": not writable (" + reason + ")", e);
        }
        return new UncheckedIOException("cannot write " + p, e);
    }
}

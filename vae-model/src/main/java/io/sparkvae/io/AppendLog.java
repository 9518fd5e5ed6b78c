package io.sparkvae.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.hdfs.DistributedFileSystem;

/**
 * Appending whole lines to a log several processes write ({@code events.jsonl}): the operating system's append on local
 * disks, HDFS's append with lease recovery, read-and-rewrite where there is no append (S3). See
 * {@link HadoopFiles#appendLine}.
 */
final class AppendLog {
    /** Serialises this JVM's appends to remote file systems (see {@link #appendLine}). */
    private static final Object REMOTE_APPENDS = new Object();
    /** How long an append waits for another writer's lease before taking that writer for dead. */
    private static final long LEASE_PATIENCE_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final HadoopFiles files;

    AppendLog(HadoopFiles files) {
        this.files = files;
    }

    /** {@link HadoopFiles#appendLine}, which documents it. */
    boolean appendLine(Path p, String line, Duration patience) {
        byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
        files.mkdirs(p.getParent());
        FileSystem fs = files.fs(p);
        try {
            if (fs instanceof LocalFileSystem || fs instanceof RawLocalFileSystem) {
                java.io.File file = fs instanceof LocalFileSystem l ? l.pathToFile(p) : ((RawLocalFileSystem) fs).pathToFile(p);
                appendLocally(file.toPath(), bytes);
                return true;
            }
            long start = System.nanoTime();
            long deadline = start + patience.toNanos();
            long pause = 50;
            while (true) {
                try {
                    // One append at a time from this JVM: its threads never take the lease from each other.
                    synchronized (REMOTE_APPENDS) {
                        appendOnce(fs, p, bytes);
                    }
                    return true;
                } catch (UnsupportedOperationException e) {
                    byte[] before = fs.exists(p) ? files.readBytes(p) : new byte[0];
                    files.writeBytesAtomically(p, join(before, bytes));
                    return true;
                } catch (IOException e) {
                    // Another appender holds the file's lease (or a killed one did: recover it, then retry).
                    if (System.nanoTime() > deadline) {
                        return false;
                    }
                    // A live writer holds the lease for milliseconds; one that has held it this long is taken to be
                    // dead (a killed process whose lease has not expired yet) and its lease is recovered.
                    if (System.nanoTime() - start > LEASE_PATIENCE_NANOS && fs instanceof DistributedFileSystem dfs) {
                        dfs.recoverLease(p);
                    }
                    Thread.sleep(pause);
                    pause = Math.min(2000, pause * 2);
                }
            }
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Appends under an exclusive lock on the file (the JVM's monitor for its threads, the operating system's file lock
     * for other processes), so checking the last byte and writing the line are one step: two writers never both see a
     * cut line and add two newlines. Appends are rare (a few per stage), so one monitor for all files is enough.
     */
    private static synchronized void appendLocally(java.nio.file.Path file, byte[] bytes) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
             FileLock lock = ch.lock()) {
            long size = ch.size();
            ByteBuffer last = ByteBuffer.allocate(1);
            boolean cut = size > 0 && ch.read(last, size - 1) == 1 && last.get(0) != '\n';
            ByteBuffer out = ByteBuffer.allocate(bytes.length + (cut ? 1 : 0));
            if (cut) {
                out.put((byte) '\n');
            }
            out.put(bytes).flip();
            long at = size;
            while (out.hasRemaining()) {
                at += ch.write(out, at);
            }
        }
    }

    private static void appendOnce(FileSystem fs, Path p, byte[] bytes) throws IOException {
        FSDataOutputStream out;
        try {
            out = fs.create(p, false);
        } catch (FileAlreadyExistsException e) {
            out = null;
        } catch (IOException e) {
            if (!fs.exists(p)) {
                throw e;
            }
            out = null; // HDFS names a lost create race otherwise (AlreadyBeingCreatedException)
        }
        if (out == null) {
            // The last byte is checked only once this writer holds the file (the append lease): checked before, another
            // writer's line could land in between and two newlines would follow it.
            out = fs.append(p);
            try {
                bytes = afterLastLine(fs, p, out.getPos(), bytes);
            } catch (IOException | RuntimeException e) {
                out.close();
                throw e;
            }
        }
        // Not try-with-resources: HDFS's stream rethrows its write failure from close(), and suppressing an exception
        // in itself is an IllegalArgumentException, which would escape the caller's retry of IOExceptions.
        IOException failure = null;
        try {
            out.write(bytes);
            out.hflush();
        } catch (IOException e) {
            failure = e;
        }
        try {
            out.close();
        } catch (IOException e) {
            if (failure == null) {
                failure = e;
            } else if (e != failure) {
                failure.addSuppressed(e);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * {@code bytes}, after a newline when the file's last byte is not one (a line cut short by a killed writer).
     *
     * @param length the file's length as the appending stream sees it (where it will write)
     */
    private static byte[] afterLastLine(FileSystem fs, Path p, long length, byte[] bytes) throws IOException {
        if (length == 0) {
            return bytes;
        }
        int last;
        try (var in = fs instanceof LocalFileSystem l ? l.getRawFileSystem().open(p) : fs.open(p)) {
            in.seek(length - 1);
            last = in.read();
        }
        if (last == '\n' || last < 0) {
            return bytes;
        }
        byte[] afterNewline = new byte[bytes.length + 1];
        afterNewline[0] = '\n';
        System.arraycopy(bytes, 0, afterNewline, 1, bytes.length);
        return afterNewline;
    }

    /** {@code before} then {@code bytes}, on a line of their own. */
    private static byte[] join(byte[] before, byte[] bytes) {
        boolean needsNewline = before.length > 0 && before[before.length - 1] != '\n';
        byte[] all = new byte[before.length + (needsNewline ? 1 : 0) + bytes.length];
        System.arraycopy(before, 0, all, 0, before.length);
        if (needsNewline) {
            all[before.length] = '\n';
        }
        System.arraycopy(bytes, 0, all, all.length - bytes.length, bytes.length);
        return all;
    }
}

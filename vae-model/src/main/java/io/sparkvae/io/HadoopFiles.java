package io.sparkvae.io;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumException;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FSError;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.ParentNotDirectoryException;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.UnsupportedFileSystemException;
import org.apache.hadoop.security.AccessControlException;

/**
 * The project's one FileSystem helper: every stage reads and writes through it, so {@code hdfs://},
 * {@code file://} and plain local paths behave the same.
 *
 * <p>Outputs are committed atomically: a stage writes into {@link #temporarySibling(Path)}, then
 * {@link #commitDirectory(Path, Path, boolean)} renames it into place and only then writes {@code _SUCCESS}.
 * A crash before the rename leaves nothing at the final path, so no later stage can mistake half-written
 * output for good output. {@link #writeStaged} does all of it and deletes the temporary sibling on any failure;
 * {@link #sweep} removes what a killed run left.
 *
 * <p>A remote file system is probed on first use, and a call to one that cannot be reached fails within a bounded time
 * ({@link #BOUNDED_WAITS}) with a {@link FileSystemUnreachableException} naming it, instead of hanging.
 */
public final class HadoopFiles {
    public static final String SUCCESS = "_SUCCESS";

    /**
     * Hadoop settings that bound how long a call to a file system that does not answer may wait. Hadoop's defaults let
     * an HDFS client wait forever for a NameNode that accepted the connection but never answers (an RPC timeout of 0)
     * and retry a timing-out connect 45 times 20 s; with these a call gives up after about a minute
     * (docs/RELIABILITY.md). Applied where the machine's Hadoop configuration (core-site.xml) does not set the key;
     * {@code --spark-conf spark.hadoop.<key>=<value>} overrides each.
     */
    public static final Map<String, String> BOUNDED_WAITS = boundedWaits();

    private static Map<String, String> boundedWaits() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("ipc.client.rpc-timeout.ms", "60000"); // Hadoop: 0, i.e. forever for a server that accepts and stays silent
        m.put("ipc.client.connect.timeout", "20000");
        m.put("ipc.client.connect.max.retries.on.timeouts", "2"); // Hadoop: 45 (15 minutes)
        m.put("ipc.client.connect.max.retries", "2"); // connection refused; Hadoop: 10
        m.put("fs.s3a.connection.timeout", "60000"); // Hadoop: 200 s per request
        m.put("fs.s3a.attempts.maximum", "2"); // the AWS SDK's retries per request; Hadoop: 20
        m.put("fs.s3a.retry.limit", "2"); // S3A's own retries on top of the SDK's; Hadoop: 7
        return Map.copyOf(m);
    }

    /** After this long without an answer from a file system's first call, say what the run is waiting for. */
    private static final long WAITING_NOTICE_MS = 5_000;
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "file-system-watchdog");
        t.setDaemon(true);
        return t;
    });
    private static final Pattern TIMEOUT_MILLIS = Pattern.compile("(\\d+) millis timeout");

    private final Configuration conf;
    /** Runs before every {@link #commitDirectory} moves anything; throws to refuse the commit. */
    private final Runnable commitCheck;
    /** Remote file systems (scheme://authority) that answered this helper's probe. */
    private final Set<String> reached = ConcurrentHashMap.newKeySet();

    public HadoopFiles(Configuration conf) {
        this(conf, () -> {});
    }

    private HadoopFiles(Configuration conf, Runnable commitCheck) {
        this.conf = conf;
        this.commitCheck = commitCheck;
    }

    /**
     * The same helper, but every {@link #commitDirectory} first runs {@code check}, which refuses the commit by
     * throwing (a stage uses it to refuse output made from inputs that changed while it ran).
     */
    public HadoopFiles checkingCommits(Runnable check) {
        return new HadoopFiles(conf, check);
    }

    /** A helper over a default Hadoop configuration (core-site.xml etc. from the classpath, if any) with {@link #BOUNDED_WAITS}. */
    public static HadoopFiles withDefaults() {
        return withSettings(Map.of());
    }

    /** Like {@link #withDefaults()}, with {@code settings} (Hadoop keys, e.g. from {@code --spark-conf spark.hadoop.*}) on top. */
    public static HadoopFiles withSettings(Map<String, String> settings) {
        Configuration conf = new Configuration();
        boundedWaitsUnset().forEach(conf::set);
        settings.forEach(conf::set);
        return new HadoopFiles(conf);
    }

    /** The {@link #BOUNDED_WAITS} this machine's Hadoop configuration leaves at Hadoop's own defaults. */
    public static Map<String, String> boundedWaitsUnset() {
        Configuration site = new Configuration();
        Map<String, String> unset = new LinkedHashMap<>();
        BOUNDED_WAITS.forEach((key, value) -> {
            String[] sources = site.getPropertySources(key);
            if (sources == null || Arrays.stream(sources).allMatch(source -> source.equals("core-default.xml"))) {
                unset.put(key, value);
            }
        });
        return unset;
    }

    /**
     * A helper for files meant for people and git ({@code docs/}): on the local file system they are written plainly,
     * without the hidden {@code .crc} checksum sibling Hadoop's default local file system adds to every file.
     */
    public static HadoopFiles withoutLocalChecksums() {
        Configuration conf = new Configuration();
        conf.setClass("fs.file.impl", RawLocalFileSystem.class, FileSystem.class);
        conf.setBoolean("fs.file.impl.disable.cache", true); // the cached instance is the checksumming one
        return new HadoopFiles(conf);
    }

    /** Resolves a user-given URI or local path; a relative local path resolves against the working directory. */
    public Path path(String uriOrPath) {
        if (uriOrPath.isBlank()) {
            throw new BadInputException("empty path: give a local path or a URI such as hdfs://namenode:8020/vae");
        }
        Path p;
        try {
            p = new Path(uriOrPath);
        } catch (IllegalArgumentException e) {
            throw new BadInputException("not a path or URI: " + uriOrPath + " (" + e.getMessage() + ")", e);
        }
        return fs(p).makeQualified(p);
    }

    /** The file system of {@code p}; a remote one is probed on first use, so one that cannot be reached fails here. */
    public FileSystem fs(Path p) {
        FileSystem fs;
        try {
            fs = p.getFileSystem(conf);
        } catch (IOException | RuntimeException e) {
            throw openFailure(p, e);
        }
        if (!(fs instanceof LocalFileSystem || fs instanceof RawLocalFileSystem) && !reached.contains(fs.getUri().toString())) {
            probe(fs, p);
        }
        return fs;
    }

    /**
     * One call to the file system's root, with a notice on stderr while it goes unanswered: a server that accepts
     * connections and never answers would otherwise leave the user looking at nothing for the whole timeout.
     */
    private void probe(FileSystem fs, Path p) {
        String uri = fs.getUri().toString();
        ScheduledFuture<?> notice = WATCHDOG.schedule(() -> System.err.println("waiting for " + uri + " to answer (no answer after "
                + WAITING_NOTICE_MS / 1000 + " s; " + giveUp(fs) + ")"), WAITING_NOTICE_MS, TimeUnit.MILLISECONDS);
        try {
            fs.getFileStatus(new Path(uri + "/"));
            reached.add(uri);
        } catch (IOException | RuntimeException e) {
            FileSystemUnreachableException unreachable = unreachable(p, e);
            if (unreachable != null) {
                throw unreachable;
            }
            reached.add(uri); // it answered, if only to refuse (permissions, an object store's root): later calls say more
        } finally {
            notice.cancel(false);
        }
    }

    private String giveUp(FileSystem fs) {
        return switch (fs.getScheme()) {
            case "hdfs", "webhdfs" -> "gives up after " + conf.getLong("ipc.client.rpc-timeout.ms", 0) / 1000
                    + " s; --spark-conf spark.hadoop.ipc.client.rpc-timeout.ms=<ms> sets that";
            case "s3a" -> "gives up after " + conf.getLong("fs.s3a.connection.timeout", 0) / 1000
                    + " s per attempt; --spark-conf spark.hadoop.fs.s3a.connection.timeout=<ms> sets that";
            default -> "its client's timeouts apply";
        };
    }

    /** Why {@code p}'s file system could not be opened, as the error the user sees. */
    private static RuntimeException openFailure(Path p, Exception e) {
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
    private static RuntimeException ioFailure(String what, Path p, IOException e) {
        FileSystemUnreachableException unreachable = unreachable(p, e);
        return unreachable != null ? unreachable : new UncheckedIOException(what + " " + p, e);
    }

    public boolean exists(Path p) {
        try {
            return fs(p).exists(p);
        } catch (IOException e) {
            throw ioFailure("cannot check", p, e);
        }
    }

    public boolean isDirectory(Path p) {
        try {
            return fs(p).getFileStatus(p).isDirectory();
        } catch (FileNotFoundException e) {
            return false;
        } catch (IOException e) {
            throw ioFailure("cannot stat", p, e);
        }
    }

    /** True when {@code dir} holds a {@code _SUCCESS} marker, i.e. it was committed whole. */
    public boolean isComplete(Path dir) {
        return exists(new Path(dir, SUCCESS));
    }

    /** Fails with {@link BadInputException} naming the file when it is absent or a folder. */
    public Path requireFile(Path p, String what) {
        FileStatus status;
        try {
            status = fs(p).getFileStatus(p);
        } catch (FileNotFoundException e) {
            throw new BadInputException(what + " not found: " + p, e);
        } catch (IOException e) {
            throw ioFailure("cannot stat", p, e);
        }
        if (status.isDirectory()) {
            throw new BadInputException(what + " is a folder, not a file: " + p);
        }
        return p;
    }

    /** Fails with {@link BadInputException} when {@code dir} is missing or has no {@code _SUCCESS}. */
    public Path requireComplete(Path dir, String what) {
        if (!exists(dir)) {
            throw new BadInputException(what + " not found: " + dir);
        }
        if (!isComplete(dir)) {
            throw new BadInputException(what + " is incomplete (no " + SUCCESS + "): " + dir);
        }
        return dir;
    }

    public InputStream open(Path p) {
        try {
            return fs(p).open(p);
        } catch (FileNotFoundException e) {
            throw new BadInputException((isDirectory(p) ? "is a folder, not a file: " : "file not found: ") + p, e);
        } catch (IOException e) {
            throw ioFailure("cannot open", p, e);
        }
    }

    public byte[] readBytes(Path p) {
        try (InputStream in = open(p)) {
            return in.readAllBytes();
        } catch (ChecksumException e) {
            throw new BadInputException(p + " is corrupt or was changed after it was written (checksum mismatch)", e);
        } catch (IOException e) {
            throw ioFailure("cannot read", p, e);
        }
    }

    public String readString(Path p) {
        return new String(readBytes(p), StandardCharsets.UTF_8);
    }

    /** Creates (overwriting) a file; parents are created as needed. */
    public OutputStream create(Path p) {
        try {
            FSDataOutputStream out = fs(p).create(p, true);
            return out;
        } catch (IOException | FSError e) {
            if (DiskFullException.isDiskFull(e)) {
                throw diskFull(p, e);
            }
            FileSystemUnreachableException unreachable = e instanceof IOException io ? unreachable(p, io) : null;
            throw unreachable != null ? unreachable : new BadInputException("cannot write " + p + ": " + e.getMessage(), e);
        }
    }

    public void writeBytes(Path p, byte[] bytes) {
        try (OutputStream out = create(p)) {
            out.write(bytes);
        } catch (IOException | FSError e) {
            // Hadoop's local file system reports a full disk as FSError, an Error, from write or close.
            if (DiskFullException.isDiskFull(e)) {
                throw diskFull(p, e);
            }
            if (e instanceof FSError error) {
                throw error;
            }
            throw new UncheckedIOException("cannot write " + p, (IOException) e);
        }
    }

    public void writeString(Path p, String text) {
        writeBytes(p, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes a file so readers never see it half-written: write a hidden sibling, then rename over. */
    public void writeBytesAtomically(Path p, byte[] bytes) {
        Path tmp = temporarySibling(p);
        boolean renamed = false;
        try {
            writeBytes(tmp, bytes);
            FileSystem fs = fs(p);
            if (fs.exists(p)) {
                fs.delete(p, false);
            }
            if (!fs.rename(tmp, p)) {
                throw new IOException("rename returned false");
            }
            renamed = true;
        } catch (DiskFullException e) {
            throw diskFull(p, e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot commit " + p, e);
        } finally {
            if (!renamed) {
                deleteQuietly(tmp); // whatever failed, Errors included
            }
        }
    }

    /**
     * Creates {@code p} holding {@code bytes} only if nothing exists there, atomically: of several processes racing
     * for the same path exactly one gets {@code true}. HDFS's create without overwrite is atomic at the NameNode;
     * Hadoop's local create is check-then-create (two racing threads both "won" in a measured run), so local paths
     * go through the operating system's exclusive create instead.
     *
     * @return false when something already exists at {@code p}
     * @throws BadInputException when the folder cannot be written (permissions, a read-only root, a file in the way)
     */
    public boolean createNew(Path p, byte[] bytes) {
        mkdirs(p.getParent());
        FileSystem fs = fs(p);
        try {
            if (fs instanceof LocalFileSystem || fs instanceof RawLocalFileSystem) {
                java.io.File file = fs instanceof LocalFileSystem l ? l.pathToFile(p) : ((RawLocalFileSystem) fs).pathToFile(p);
                Files.write(file.toPath(), bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            } else {
                try (OutputStream out = fs.create(p, false)) {
                    out.write(bytes);
                }
            }
            return true;
        } catch (FileAlreadyExistsException | java.nio.file.FileAlreadyExistsException e) {
            return false;
        } catch (IOException e) {
            throw writeFailure(p, e);
        } catch (FSError e) {
            if (DiskFullException.isDiskFull(e)) {
                throw diskFull(p, e);
            }
            throw e;
        }
    }

    /**
     * The space left on the file system that holds {@code p} (or its nearest existing ancestor), in bytes; -1 when
     * the file system does not say.
     */
    public long freeSpace(Path p) {
        try {
            return fs(p).getStatus(p).getRemaining();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The failure of a write to {@code p} (a file or folder of an output) on a full disk, naming it. */
    public DiskFullException diskFull(Path p, Throwable cause) {
        Throwable original = cause instanceof DiskFullException d && d.getCause() != null ? d.getCause() : cause;
        return DiskFullException.writing(p, freeSpace(p.getParent() == null ? p : p.getParent()), original);
    }

    /** A write refused by the file system itself is bad input (exit 2); anything else may be transient (exit 1). */
    private RuntimeException writeFailure(Path p, IOException e) {
        if (DiskFullException.isDiskFull(e)) {
            return diskFull(p, e);
        }
        if (e instanceof FileSystemException || e instanceof AccessControlException || e instanceof ParentNotDirectoryException) {
            String reason = e instanceof FileSystemException f ? (f.getReason() != null ? f.getReason() : "permission denied")
                    : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
            return new BadInputException("cannot write " + p + ": not writable (" + reason + ")", e);
        }
        return new UncheckedIOException("cannot write " + p, e);
    }

    /** Serialises this JVM's appends to remote file systems (see {@link #appendLine}). */
    private static final Object REMOTE_APPENDS = new Object();
    /** How long an append waits for another writer's lease before taking that writer for dead. */
    private static final long LEASE_PATIENCE_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(10);

    /**
     * Appends one line to a log that several processes may write ({@code events.jsonl}), creating it if absent. The
     * line goes out in one write, after a newline if a writer killed mid-line left the file without one, so a reader
     * sees whole lines and at worst one unparsable fragment on a line of its own.
     *
     * <ul>
     *   <li>Local files: the operating system's append ({@code O_APPEND}), which keeps concurrent lines whole. The
     *       file gets no {@code .crc} sibling (an append would leave it stale).</li>
     *   <li>File systems with append (HDFS, and most others): HDFS lets one writer append at a time; a concurrent
     *       appender is refused and retried here for up to {@code patience}, and a lease a killed writer left behind
     *       is recovered.</li>
     *   <li>File systems without append (S3): read, add the line, rewrite atomically. Two writers at the same moment
     *       can lose one of their lines there.</li>
     * </ul>
     *
     * @return false when the line could not be appended within {@code patience} (the caller decides whether that
     *         matters; logs of this kind are telemetry)
     */
    public boolean appendLine(Path p, String line, java.time.Duration patience) {
        byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
        mkdirs(p.getParent());
        FileSystem fs = fs(p);
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
                    byte[] before = fs.exists(p) ? readBytes(p) : new byte[0];
                    writeBytesAtomically(p, join(before, bytes));
                    return true;
                } catch (IOException e) {
                    // Another appender holds the file's lease (or a killed one did: recover it, then retry).
                    if (System.nanoTime() > deadline) {
                        return false;
                    }
                    // A live writer holds the lease for milliseconds; one that has held it this long is taken to be
                    // dead (a killed process whose lease has not expired yet) and its lease is recovered.
                    if (System.nanoTime() - start > LEASE_PATIENCE_NANOS
                            && fs instanceof org.apache.hadoop.hdfs.DistributedFileSystem dfs) {
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
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file, StandardOpenOption.CREATE,
                StandardOpenOption.READ, StandardOpenOption.WRITE);
             java.nio.channels.FileLock lock = ch.lock()) {
            long size = ch.size();
            java.nio.ByteBuffer last = java.nio.ByteBuffer.allocate(1);
            boolean cut = size > 0 && ch.read(last, size - 1) == 1 && last.get(0) != '\n';
            java.nio.ByteBuffer out = java.nio.ByteBuffer.allocate(bytes.length + (cut ? 1 : 0));
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

    private void appendOnce(FileSystem fs, Path p, byte[] bytes) throws IOException {
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

    /** The last-modified time of {@code p} in epoch milliseconds, or -1 when it does not exist. */
    public long modificationTime(Path p) {
        try {
            return fs(p).getFileStatus(p).getModificationTime();
        } catch (FileNotFoundException e) {
            return -1;
        } catch (IOException e) {
            throw ioFailure("cannot stat", p, e);
        }
    }

    /** Sets the last-modified time of {@code p} to now (the access time is left alone: HDFS may not keep one). */
    public void touch(Path p) {
        try {
            fs(p).setTimes(p, System.currentTimeMillis(), -1);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot touch " + p, e);
        }
    }

    public void mkdirs(Path dir) {
        try {
            if (!fs(dir).mkdirs(dir)) {
                throw new IOException("mkdirs returned false");
            }
        } catch (IOException e) {
            FileSystemUnreachableException unreachable = unreachable(dir, e);
            throw unreachable != null ? unreachable : new BadInputException("cannot create directory " + dir + ": " + e.getMessage(), e);
        }
    }

    public FileStatus[] list(Path dir) {
        try {
            return fs(dir).listStatus(dir);
        } catch (FileNotFoundException e) {
            return new FileStatus[0];
        } catch (IOException e) {
            throw ioFailure("cannot list", dir, e);
        }
    }

    public void delete(Path p) {
        try {
            fs(p).delete(p, true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + p, e);
        }
    }

    public void deleteQuietly(Path p) {
        try {
            fs(p).delete(p, true);
        } catch (IOException | RuntimeException ignored) {
            // best effort clean-up of a temporary path; the real error is already on its way up
        }
    }

    /**
     * A fresh, unique temporary directory (or file) beside {@code target} ({@code .<name>.tmp-<uuid>}), so concurrent
     * runs never share one and a reader listing the parent can tell it from committed output.
     */
    public Path temporarySibling(Path target) {
        return new Path(target.getParent(), "." + target.getName() + ".tmp-" + UUID.randomUUID());
    }

    /**
     * Writes an output into a fresh {@link #temporarySibling} of {@code target} ({@code write} gets its path and fills
     * it) and commits it ({@link #commitDirectory}). Whatever goes wrong (an exception, an {@link Error} such as
     * Hadoop's {@code FSError}, a checked exception Spark throws undeclared) deletes the temporary sibling, so no
     * failure leaves debris; a full disk is reported as {@link DiskFullException} naming {@code target}.
     *
     * @param overwrite replace a complete {@code target}; an incomplete one (no {@code _SUCCESS}: debris of a crash)
     *                  is always replaced
     * @return what {@code write} returned
     */
    public <T> T writeStaged(Path target, boolean overwrite, Function<Path, T> write) {
        Path staged = temporarySibling(target);
        boolean committed = false;
        try {
            T result = write.apply(staged);
            commitDirectory(staged, target, overwrite || !isComplete(target));
            committed = true;
            return result;
        } catch (Throwable t) {
            if (DiskFullException.isDiskFull(t)) {
                // Measured before the clean-up below frees the space the failed write took.
                throw diskFull(target, t);
            }
            throw t;
        } finally {
            if (!committed) {
                deleteQuietly(staged);
            }
        }
    }

    /** Debris names of {@code target}: temporary siblings (directories, files, an older naming) and moved-aside outputs. */
    private static Pattern debrisOf(Path target) {
        String name = Pattern.quote(target.getName());
        return Pattern.compile("\\." + name + "\\.(tmp-.+|old-.+|[0-9a-f-]{36}\\.tmp)");
    }

    /** True when a killed run left debris of {@code target} beside it ({@link #sweep} removes it). */
    public boolean hasDebris(Path target) {
        Pattern debris = debrisOf(target);
        for (FileStatus s : list(target.getParent())) {
            if (debris.matcher(s.getPath().getName()).matches()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Cleans up after runs of {@code target} that were killed: deletes its temporary siblings and moved-aside old
     * outputs, except that when {@code target} itself is missing (a run killed between moving the old output aside
     * and renaming the new one in) a complete moved-aside output is put back first. Only safe while no other run
     * writes {@code target}, i.e. under its output lock.
     *
     * @return one line per thing done, for the stage to print
     */
    public List<String> sweep(Path target) {
        List<String> done = new ArrayList<>();
        Pattern debris = debrisOf(target);
        List<Path> found = new ArrayList<>();
        for (FileStatus s : list(target.getParent())) {
            if (debris.matcher(s.getPath().getName()).matches()) {
                found.add(s.getPath());
            }
        }
        if (!exists(target)) {
            for (Path p : found) {
                if (p.getName().contains(".old-") && isComplete(p)) {
                    rename(p, target);
                    done.add("restored " + target + " from " + p.getName() + " (a run was killed while replacing it)");
                    found.remove(p);
                    break;
                }
            }
        }
        for (Path p : found) {
            delete(p);
            done.add("deleted " + p + " (left by a run that was killed)");
        }
        return done;
    }

    /**
     * Deletes the {@link #temporarySibling temporary siblings} of {@code target} that a killed run left behind; only
     * safe while no other run writes {@code target}.
     *
     * @return how many were deleted
     */
    public int deleteTemporarySiblings(Path target) {
        String prefix = "." + target.getName() + ".tmp-";
        int deleted = 0;
        for (FileStatus s : list(target.getParent())) {
            if (s.getPath().getName().startsWith(prefix)) {
                delete(s.getPath());
                deleted++;
            }
        }
        return deleted;
    }

    /** Renames {@code from} to {@code to} (which must not exist). */
    public void rename(Path from, Path to) {
        try {
            if (!fs(from).rename(from, to)) {
                throw new IOException("rename returned false");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rename " + from + " to " + to, e);
        }
    }

    /**
     * Moves a fully written temporary directory to {@code target} and writes {@code _SUCCESS} into it. An existing
     * target is moved aside first and deleted only once the new one is in place, so a run killed in between leaves
     * the old output whole beside it ({@link #sweep} puts it back).
     *
     * @param overwrite replace an existing {@code target}; without it an existing target is an error
     */
    public void commitDirectory(Path temporary, Path target, boolean overwrite) {
        commitCheck.run();
        Path old = null;
        boolean renamedIn = false;
        try {
            FileSystem fs = fs(target);
            if (fs.exists(target)) {
                if (!overwrite) {
                    throw new BadInputException("output already exists (use --overwrite to replace it): " + target);
                }
                // Move the old output aside first so there is never a moment with a half-deleted target.
                old = new Path(target.getParent(), "." + target.getName() + ".old-" + UUID.randomUUID());
                if (!fs.rename(target, old)) {
                    throw new IOException("cannot move aside " + target);
                }
            }
            fs.mkdirs(target.getParent());
            fs.delete(new Path(temporary, SUCCESS), false);
            if (!fs.rename(temporary, target)) {
                throw new IOException("rename " + temporary + " -> " + target + " returned false");
            }
            renamedIn = true;
            // A rename onto a directory that appeared since the check above (another run committing the same output)
            // moves this output *into* it, on HDFS and on local disk alike. Take it back out, so the target stays
            // the other run's output, whole, rather than a mix of both.
            Path nested = new Path(target, temporary.getName());
            if (fs.exists(nested)) {
                fs.delete(nested, true);
                throw new IllegalStateException("another run committed " + target + " at the same time; kept its output"
                        + " and discarded this run's");
            }
            // Non-recursive: if another run moved this output aside meanwhile (--overwrite), a plain create would
            // make a new, empty target holding just the marker, an output that looks complete.
            try (OutputStream marker = fs.createNonRecursive(new Path(target, SUCCESS), true, 4096,
                    fs.getDefaultReplication(target), fs.getDefaultBlockSize(target), null)) {
                marker.flush();
            } catch (FileNotFoundException e) {
                throw new IllegalStateException("another run replaced " + target + " while this one was committing it", e);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot commit " + target, e);
        } finally {
            if (old != null) {
                if (renamedIn) {
                    deleteQuietly(old);
                } else if (!exists(target)) {
                    try {
                        fs(target).rename(old, target); // the new output never arrived: put the old one back
                    } catch (IOException | RuntimeException ignored) {
                        // the next run's sweep restores it
                    }
                }
            }
        }
    }

    /** Writes the {@code _SUCCESS} marker into a directory written in place. */
    public void markComplete(Path dir) {
        try {
            fs(dir).create(new Path(dir, SUCCESS), true).close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot mark " + dir + " complete", e);
        }
    }
}

package io.sparkvae.io;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumException;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FSError;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * The project's one FileSystem helper: every stage reads and writes through it, so {@code hdfs://},
 * {@code file://} and plain local paths behave the same.
 *
 * <p>It is the facade over parts with one job each: {@link BoundedWaits} (a remote file system is probed on first
 * use, and a call to one that cannot be reached fails within a bounded time with a
 * {@link FileSystemUnreachableException} naming it, instead of hanging), {@code FileFailures} (what a file system
 * threw, as the exception the exit code follows), {@code CommitProtocol} (outputs written into a
 * {@link #temporarySibling(Path)}, renamed into place by {@link #commitDirectory}, only then marked {@code _SUCCESS};
 * {@link #writeStaged} does all of it and {@link #sweep} removes what a killed run left) and {@code AppendLog}
 * ({@link #appendLine}). The exception types live beside it: {@link BadInputException} (exit 2),
 * {@link RetryableFailure}, {@link FileSystemUnreachableException} and {@link DiskFullException} (exit 1, one line).
 */
public final class HadoopFiles {
    public static final String SUCCESS = "_SUCCESS";

    /** {@link BoundedWaits#SETTINGS}: the Hadoop settings that bound how long a call to a silent file system waits. */
    public static final Map<String, String> BOUNDED_WAITS = BoundedWaits.SETTINGS;

    private final Configuration conf;
    private final CommitProtocol commits;
    private final AppendLog appends = new AppendLog(this);
    /** Remote file systems (scheme://authority) that answered this helper's probe. */
    private final Set<String> reached = ConcurrentHashMap.newKeySet();

    public HadoopFiles(Configuration conf) {
        this(conf, () -> {});
    }

    private HadoopFiles(Configuration conf, Runnable commitCheck) {
        this.conf = conf;
        this.commits = new CommitProtocol(this, commitCheck);
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
        return BoundedWaits.unset();
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
            fs = ForklessLocalFileSystem.of(p.getFileSystem(conf));
        } catch (IOException | RuntimeException e) {
            throw FileFailures.openFailure(p, e);
        }
        String uri = fs.getUri().toString();
        if (!(fs instanceof LocalFileSystem || fs instanceof RawLocalFileSystem) && !reached.contains(uri)) {
            BoundedWaits.probe(fs, p, conf);
            reached.add(uri); // it answered, if only to refuse (permissions, an object store's root): later calls say more
        }
        return fs;
    }

    public boolean exists(Path p) {
        try {
            return fs(p).exists(p);
        } catch (IOException e) {
            throw FileFailures.ioFailure("cannot check", p, e);
        }
    }

    public boolean isDirectory(Path p) {
        try {
            return fs(p).getFileStatus(p).isDirectory();
        } catch (FileNotFoundException e) {
            return false;
        } catch (IOException e) {
            throw FileFailures.ioFailure("cannot stat", p, e);
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
            throw FileFailures.ioFailure("cannot stat", p, e);
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
            throw FileFailures.ioFailure("cannot open", p, e);
        }
    }

    public byte[] readBytes(Path p) {
        try (InputStream in = open(p)) {
            return in.readAllBytes();
        } catch (ChecksumException e) {
            throw new BadInputException(p + " is corrupt or was changed after it was written (checksum mismatch)", e);
        } catch (IOException e) {
            throw FileFailures.ioFailure("cannot read", p, e);
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
            FileSystemUnreachableException unreachable = e instanceof IOException io ? FileFailures.unreachable(p, io) : null;
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
            throw FileFailures.writeFailure(this, p, e);
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
    public boolean appendLine(Path p, String line, Duration patience) {
        return appends.appendLine(p, line, patience);
    }

    /** The last-modified time of {@code p} in epoch milliseconds, or -1 when it does not exist. */
    public long modificationTime(Path p) {
        try {
            return fs(p).getFileStatus(p).getModificationTime();
        } catch (FileNotFoundException e) {
            return -1;
        } catch (IOException e) {
            throw FileFailures.ioFailure("cannot stat", p, e);
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
            throw FileFailures.mkdirsFailure(dir, e);
        }
    }

    public FileStatus[] list(Path dir) {
        try {
            return fs(dir).listStatus(dir);
        } catch (FileNotFoundException e) {
            return new FileStatus[0];
        } catch (IOException e) {
            throw FileFailures.ioFailure("cannot list", dir, e);
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
        return CommitProtocol.temporarySibling(target);
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
        return commits.writeStaged(target, overwrite, write);
    }

    /** True when a killed run left debris of {@code target} beside it ({@link #sweep} removes it). */
    public boolean hasDebris(Path target) {
        return commits.hasDebris(target);
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
        return commits.sweep(target);
    }

    /**
     * Deletes the {@link #temporarySibling temporary siblings} of {@code target} that a killed run left behind; only
     * safe while no other run writes {@code target}.
     *
     * @return how many were deleted
     */
    public int deleteTemporarySiblings(Path target) {
        return commits.deleteTemporarySiblings(target);
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
        commits.commitDirectory(temporary, target, overwrite);
    }

    /** Writes the {@code _SUCCESS} marker into a directory written in place. */
    public void markComplete(Path dir) {
        commits.markComplete(dir);
    }
}

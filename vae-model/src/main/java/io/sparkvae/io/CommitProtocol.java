package io.sparkvae.io;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The commit protocol: an output is written into a temporary sibling, renamed into place (an older output moved aside
 * first and deleted only once the new one is in), then marked with {@code _SUCCESS}; {@link #sweep} cleans up after
 * killed runs. {@link HadoopFiles} hands its methods out under the same names.
 */
final class CommitProtocol {
    private final HadoopFiles files;
    /** Runs before every {@link #commitDirectory} moves anything; throws to refuse the commit. */
    private final Runnable commitCheck;

    CommitProtocol(HadoopFiles files, Runnable commitCheck) {
        this.files = files;
        this.commitCheck = commitCheck;
    }

    /** See {@link HadoopFiles#temporarySibling}. */
    static Path temporarySibling(Path target) {
        return new Path(target.getParent(), "." + target.getName() + ".tmp-" + UUID.randomUUID());
    }

    /** See {@link HadoopFiles#writeStaged}. */
    <T> T writeStaged(Path target, boolean overwrite, Function<Path, T> write) {
        Path staged = temporarySibling(target);
        boolean committed = false;
        try {
            T result = write.apply(staged);
            commitDirectory(staged, target, overwrite || !files.isComplete(target));
            committed = true;
            return result;
        } catch (Throwable t) {
            if (DiskFullException.isDiskFull(t)) {
                // Measured before the clean-up below frees the space the failed write took.
                throw files.diskFull(target, t);
            }
            throw t;
        } finally {
            if (!committed) {
                files.deleteQuietly(staged);
            }
        }
    }

    /** Debris names of {@code target}: temporary siblings (directories, files, an older naming) and moved-aside outputs. */
    private static Pattern debrisOf(Path target) {
        String name = Pattern.quote(target.getName());
        return Pattern.compile("\\." + name + "\\.(tmp-.+|old-.+|[0-9a-f-]{36}\\.tmp)");
    }

    /** See {@link HadoopFiles#hasDebris}. */
    boolean hasDebris(Path target) {
        Pattern debris = debrisOf(target);
        for (FileStatus s : files.list(target.getParent())) {
            if (debris.matcher(s.getPath().getName()).matches()) {
                return true;
            }
        }
        return false;
    }

    /** See {@link HadoopFiles#sweep}. */
    List<String> sweep(Path target) {
        List<String> done = new ArrayList<>();
        Pattern debris = debrisOf(target);
        List<Path> found = new ArrayList<>();
        for (FileStatus s : files.list(target.getParent())) {
            if (debris.matcher(s.getPath().getName()).matches()) {
                found.add(s.getPath());
            }
        }
        if (!files.exists(target)) {
            for (Path p : found) {
                if (p.getName().contains(".old-") && files.isComplete(p)) {
                    files.rename(p, target);
                    done.add("restored " + target + " from " + p.getName() + " (a run was killed while replacing it)");
                    found.remove(p);
                    break;
                }
            }
        }
        for (Path p : found) {
            files.delete(p);
            done.add("deleted " + p + " (left by a run that was killed)");
        }
        return done;
    }

    /** See {@link HadoopFiles#deleteTemporarySiblings}. */
    int deleteTemporarySiblings(Path target) {
        String prefix = "." + target.getName() + ".tmp-";
        int deleted = 0;
        for (FileStatus s : files.list(target.getParent())) {
            if (s.getPath().getName().startsWith(prefix)) {
                files.delete(s.getPath());
                deleted++;
            }
        }
        return deleted;
    }

    /** See {@link HadoopFiles#commitDirectory}. */
    void commitDirectory(Path temporary, Path target, boolean overwrite) {
        commitCheck.run();
        Path old = null;
        boolean renamedIn = false;
        try {
            FileSystem fs = files.fs(target);
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
            fs.delete(new Path(temporary, HadoopFiles.SUCCESS), false);
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
            try (OutputStream marker = createNonRecursive(fs, new Path(target, HadoopFiles.SUCCESS))) {
                marker.flush();
            } catch (FileNotFoundException | NoSuchFileException e) {
                throw new IllegalStateException("another run replaced " + target + " while this one was committing it", e);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot commit " + target, e);
        } finally {
            if (old != null) {
                if (renamedIn) {
                    files.deleteQuietly(old);
                } else if (!files.exists(target)) {
                    try {
                        files.fs(target).rename(old, target); // the new output never arrived: put the old one back
                    } catch (IOException | RuntimeException ignored) {
                        // the next run's sweep restores it
                    }
                }
            }
        }
    }

    /**
     * A new file in an existing folder, never creating the folder. Hadoop's local file system checks the folder and
     * then creates the file with its parents, so a folder moved away in between comes back holding just this file;
     * on local disk the file is opened directly instead (no checksum sibling: it is empty).
     */
    private static OutputStream createNonRecursive(FileSystem fs, Path file) throws IOException {
        if (fs instanceof LocalFileSystem local) {
            return Files.newOutputStream(local.pathToFile(file).toPath(), StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE);
        }
        return fs.createNonRecursive(file, true, 4096, fs.getDefaultReplication(file), fs.getDefaultBlockSize(file), null);
    }

    /** See {@link HadoopFiles#markComplete}. */
    void markComplete(Path dir) {
        try {
            files.fs(dir).create(new Path(dir, HadoopFiles.SUCCESS), true).close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot mark " + dir + " complete", e);
        }
    }
}

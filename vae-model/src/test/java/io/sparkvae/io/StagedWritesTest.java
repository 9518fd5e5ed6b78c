package io.sparkvae.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.fs.FSError;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link HadoopFiles#writeStaged}, {@link HadoopFiles#sweep} and the commit's order on the real local file system:
 * no failure of any kind leaves a temporary sibling; what a killed run leaves is swept, and an old output moved aside
 * by a run killed mid-commit is put back.
 */
class StagedWritesTest {
    private static final HadoopFiles FILES = HadoopFiles.withDefaults();

    @TempDir
    java.nio.file.Path tmp;

    private Path target() {
        return FILES.path(tmp.resolve("out/eval").toString());
    }

    private List<String> siblings() {
        return Arrays.stream(FILES.list(FILES.path(tmp.resolve("out").toString()))).map(FileStatus::getPath)
                .map(Path::getName).sorted().toList();
    }

    /** A checked exception thrown where none is declared, as Spark's {@code SparkException} arrives. */
    @SuppressWarnings("unchecked")
    private static <E extends Throwable> void sneaky(Throwable t) throws E {
        throw (E) t;
    }

    @Test
    void anyFailureWhileWritingDeletesTheTemporarySibling() {
        Path target = target();
        FILES.mkdirs(target.getParent());
        List<Throwable> failures = List.of(new IllegalStateException("runtime"), new AssertionError("an error"),
                new Exception("checked, undeclared"), new StackOverflowError("another error"));
        for (Throwable failure : failures) {
            Throwable thrown = assertThrows(Throwable.class, () -> FILES.writeStaged(target, false, dir -> {
                FILES.writeString(new Path(dir, "part"), "half");
                sneaky(failure);
                return null;
            }));
            assertSame(failure, thrown, "the failure itself reaches the caller");
            assertEquals(List.of(), siblings(), "after " + failure);
        }
    }

    @Test
    void aFullDiskIsReportedNamingTheOutputAndLeavesNothing() {
        Path target = target();
        FILES.mkdirs(target.getParent());
        FSError enospc = realDiskFull();
        DiskFullException e = assertThrows(DiskFullException.class, () -> FILES.writeStaged(target, false, dir -> {
            FILES.writeString(new Path(dir, "part"), "half");
            throw enospc;
        }));
        assertTrue(e.getMessage().startsWith("no space left on device while writing " + target), e.getMessage());
        assertSame(enospc, e.getCause());
        assertEquals(List.of(), siblings());
        assertTrue(DiskFullException.isDiskFull(new RuntimeException("Job aborted", new RuntimeException(enospc))));
        assertFalse(DiskFullException.isDiskFull(new RuntimeException(new IOException("Input/output error"))));
    }

    /** What Hadoop's local file system throws when the disk is full: a write to /dev/full, which always fails so. */
    private static FSError realDiskFull() {
        HadoopFiles raw = HadoopFiles.withoutLocalChecksums();
        Path full = raw.path("file:///dev/full");
        try (var out = raw.fs(full).create(full, true)) {
            out.write(new byte[1 << 16]);
            out.flush();
        } catch (FSError e) {
            return e;
        } catch (IOException e) {
            throw new AssertionError("expected an FSError, got " + e, e);
        }
        throw new AssertionError("writing /dev/full succeeded");
    }

    @Test
    void aSuccessfulWriteIsCommittedWithItsMarker() {
        Path target = target();
        String got = FILES.writeStaged(target, false, dir -> {
            FILES.writeString(new Path(dir, "metrics.json"), "{}");
            return "done";
        });
        assertEquals("done", got);
        assertTrue(FILES.isComplete(target));
        assertEquals(List.of("eval"), siblings().stream().filter(n -> !n.endsWith(".crc")).toList());
    }

    @Test
    void theSweepDeletesDebrisAndPutsBackAnOutputMovedAsideByAKilledCommit() {
        Path target = target();
        FILES.writeStaged(target, false, dir -> {
            FILES.writeString(new Path(dir, "metrics.json"), "old");
            return null;
        });
        // A run killed between moving the old output aside and renaming its own in, with a half-written sibling.
        Path aside = new Path(target.getParent(), ".eval.old-" + UUID.randomUUID());
        FILES.rename(target, aside);
        Path half = FILES.temporarySibling(target);
        FILES.writeString(new Path(half, "metrics.json"), "half");
        Path olderFile = new Path(target.getParent(), ".eval." + UUID.randomUUID() + ".tmp");
        FILES.writeString(olderFile, "an older version's temporary file");
        Path other = new Path(target.getParent(), ".render.tmp-" + UUID.randomUUID());
        FILES.mkdirs(other);

        assertTrue(FILES.hasDebris(target));
        List<String> done = FILES.sweep(target);
        assertEquals(3, done.size(), done.toString());
        assertTrue(FILES.isComplete(target), "the old output is back");
        assertEquals("old", FILES.readString(new Path(target, "metrics.json")));
        assertFalse(FILES.exists(half) || FILES.exists(aside) || FILES.exists(olderFile));
        assertTrue(FILES.exists(other), "another output's sibling is not this output's debris");
        assertFalse(FILES.hasDebris(target));
    }

    @Test
    void anOverwriteDeletesTheOldOutputOnlyOnceTheNewOneIsInPlace() {
        Path target = target();
        FILES.writeStaged(target, false, dir -> {
            FILES.writeString(new Path(dir, "metrics.json"), "old");
            return null;
        });
        // A commit refused before anything moves (an input changed) keeps the old output as it was.
        HadoopFiles refusing = FILES.checkingCommits(() -> {
            throw new RetryableFailure("input changed");
        });
        assertThrows(RetryableFailure.class, () -> refusing.writeStaged(target, true, dir -> {
            refusing.writeString(new Path(dir, "metrics.json"), "new");
            return null;
        }));
        assertEquals("old", FILES.readString(new Path(target, "metrics.json")));
        assertTrue(FILES.isComplete(target));
        FILES.writeStaged(target, true, dir -> {
            FILES.writeString(new Path(dir, "metrics.json"), "new");
            return null;
        });
        assertEquals("new", FILES.readString(new Path(target, "metrics.json")));
        assertEquals(List.of("eval"), siblings().stream().filter(n -> !n.endsWith(".crc")).toList());
    }
}

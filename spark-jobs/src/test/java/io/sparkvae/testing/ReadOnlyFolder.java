package io.sparkvae.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A local folder tree made unwritable for this process until closed: write permission bits removed, and where
 * that is not enough (root ignores them, as in this project's containers) the immutable attribute set with
 * {@code chattr}. A test that cannot get a read-only folder fails; it never passes without one.
 */
public final class ReadOnlyFolder implements AutoCloseable {
    private final Path dir;
    private final boolean immutable;

    private ReadOnlyFolder(Path dir, boolean immutable) {
        this.dir = dir;
        this.immutable = immutable;
    }

    public static ReadOnlyFolder of(Path dir) {
        setWritable(dir, false);
        if (!acceptsWrites(dir)) {
            return new ReadOnlyFolder(dir, false);
        }
        chattr("+i", dir);
        ReadOnlyFolder folder = new ReadOnlyFolder(dir, true);
        if (acceptsWrites(dir)) {
            folder.close();
            fail("cannot make " + dir + " read-only: this process ignores permissions and chattr +i had no effect");
        }
        return folder;
    }

    private static boolean acceptsWrites(Path dir) {
        Path probe = dir.resolve(".write-probe");
        try {
            Files.createFile(probe);
            Files.delete(probe);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void chattr(String flag, Path dir) {
        try {
            Process p = new ProcessBuilder("chattr", "-R", flag, dir.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                fail("chattr -R " + flag + " " + dir + " failed: " + out);
            }
        } catch (IOException e) {
            fail("cannot run chattr (needed to make a folder read-only as root): " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void setWritable(Path dir, boolean writable) {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.toList()) {
                if (Files.isSymbolicLink(p)) {
                    continue;
                }
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
                if (writable) {
                    perms.add(PosixFilePermission.OWNER_WRITE);
                } else {
                    perms.removeAll(List.of(PosixFilePermission.OWNER_WRITE, PosixFilePermission.GROUP_WRITE,
                            PosixFilePermission.OTHERS_WRITE));
                }
                Files.setPosixFilePermissions(p, perms);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot change permissions under " + dir, e);
        }
    }

    /** Makes the tree writable again (so the test's temporary folder can be deleted). */
    @Override
    public void close() {
        if (immutable) {
            chattr("-i", dir);
        }
        setWritable(dir, true);
    }
}

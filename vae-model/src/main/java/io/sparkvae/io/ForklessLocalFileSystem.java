package io.sparkvae.io;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.io.nativeio.NativeIO;

/**
 * Hadoop's checksumming local file system, setting permissions through the chmod system call (java.nio) instead of a
 * forked {@code chmod} process: without Hadoop's native library, Hadoop forks one for every file it creates (the data
 * file and its checksum), 40 ms each on a busy 2-core machine, ten per checkpoint and two per exported minibatch.
 * Same permissions, same checksums; kept out of Hadoop's file system cache and {@code fs.file.impl}, so nothing but
 * this project's own file calls ({@link HadoopFiles}) use it.
 */
public final class ForklessLocalFileSystem extends LocalFileSystem {
    private static volatile LocalFileSystem shared;

    private ForklessLocalFileSystem() {
        super(new Raw());
    }

    /** {@code fs} itself, unless it is Hadoop's default local file system: then this JVM's forkless one. */
    public static FileSystem of(FileSystem fs) throws IOException {
        if (fs.getClass() != LocalFileSystem.class) {
            return fs;
        }
        LocalFileSystem local = shared;
        if (local == null) {
            synchronized (ForklessLocalFileSystem.class) {
                if (shared == null) {
                    shared = create(fs.getUri(), fs.getConf());
                }
                local = shared;
            }
        }
        return local;
    }

    /** A new one, initialised as Hadoop initialises its own. */
    static LocalFileSystem create(URI uri, Configuration conf) throws IOException {
        LocalFileSystem fs = new ForklessLocalFileSystem();
        fs.initialize(uri, conf);
        return fs;
    }

    /** The raw local file system with the chmod done in-process (special bits, or a native library: Hadoop's way). */
    private static final class Raw extends RawLocalFileSystem {
        @Override
        public void setPermission(Path p, FsPermission permission) throws IOException {
            short mode = permission.toShort();
            if (NativeIO.isAvailable() || (mode & ~0777) != 0) {
                super.setPermission(p, permission);
                return;
            }
            Set<PosixFilePermission> bits = EnumSet.noneOf(PosixFilePermission.class);
            for (PosixFilePermission bit : PosixFilePermission.values()) { // OWNER_READ ... OTHERS_EXECUTE: 0400 ... 0001
                if ((mode & (0400 >> bit.ordinal())) != 0) {
                    bits.add(bit);
                }
            }
            Files.setPosixFilePermissions(pathToFile(p).toPath(), bits);
        }
    }
}

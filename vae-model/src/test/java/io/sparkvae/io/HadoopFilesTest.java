package io.sparkvae.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Atomic commits on the real local file system. */
@Tag("slow")
class HadoopFilesTest {
    private static final HadoopFiles FILES = HadoopFiles.withDefaults();

    @TempDir
    java.nio.file.Path tmp;

    /** A complete temporary output of committer {@code who}: three files that all name it. */
    private static Path written(Path target, String who) {
        Path t = FILES.temporarySibling(target);
        for (String f : List.of("a", "b", "c")) {
            FILES.writeString(new Path(t, f), who);
        }
        return t;
    }

    /**
     * Two runs committing the same output at the same moment: a rename onto a directory that appeared meanwhile
     * would nest one output inside the other (measured on the local file system and HDFS alike); the target must
     * instead always be one committer's output, whole.
     */
    @Test
    void racingCommitsNeverMixTwoOutputs() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            int rounds = 150;
            for (int round = 0; round < rounds; round++) {
                Path target = FILES.path(tmp.resolve("r" + round + "/eval").toString());
                boolean overwrite = round % 2 == 0;
                if (overwrite) {
                    FILES.commitDirectory(written(target, "earlier"), target, false);
                }
                CyclicBarrier start = new CyclicBarrier(2);
                List<Future<Boolean>> results = new ArrayList<>();
                for (String who : List.of("x", "y")) {
                    Path mine = written(target, who);
                    results.add(pool.submit(() -> {
                        start.await();
                        try {
                            FILES.commitDirectory(mine, target, overwrite);
                            return true;
                        } catch (RuntimeException e) {
                            FILES.deleteQuietly(mine);
                            return false;
                        }
                    }));
                }
                for (Future<Boolean> f : results) {
                    f.get(); // one may lose the race (exception); what matters is the target
                }
                Set<String> names = new TreeSet<>();
                Set<String> owners = new TreeSet<>();
                for (FileStatus s : FILES.list(target)) {
                    String name = s.getPath().getName();
                    names.add(name);
                    if (!name.equals(HadoopFiles.SUCCESS) && !name.startsWith(".")) {
                        owners.add(FILES.readString(s.getPath()));
                    }
                }
                assertEquals(new TreeSet<>(Arrays.asList("_SUCCESS", "a", "b", "c")), visible(names), "round " + round + ": " + names);
                assertEquals(1, owners.size(), "round " + round + ": files of " + owners);
                assertTrue(names.stream().noneMatch(n -> n.contains(".tmp-")), "round " + round + ": nested " + names);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** The names a reader sees (Hadoop's local checksum files aside). */
    private static Set<String> visible(Set<String> names) {
        Set<String> out = new TreeSet<>(names);
        out.removeIf(n -> n.endsWith(".crc"));
        return out;
    }

    /**
     * The forkless local file system gives files and folders the permissions Hadoop's own gives them under each umask
     * setting and for explicit modes (sticky ones too), and keeps writing checksums.
     */
    @Test
    void theForklessLocalFileSystemSetsHadoopsPermissionsAndChecksums() throws Exception {
        for (String umask : List.of("022", "077", "002")) {
            org.apache.hadoop.conf.Configuration conf = new org.apache.hadoop.conf.Configuration();
            conf.set("fs.permissions.umask-mode", umask);
            java.net.URI local = java.net.URI.create("file:///");
            try (org.apache.hadoop.fs.FileSystem hadoops = org.apache.hadoop.fs.FileSystem.newInstance(local, conf);
                    org.apache.hadoop.fs.FileSystem ours = ForklessLocalFileSystem.create(local, conf)) {
                for (String kind : List.of("file", "dir", "sticky")) {
                    java.nio.file.Path[] made = new java.nio.file.Path[2];
                    int i = 0;
                    for (org.apache.hadoop.fs.FileSystem fs : List.of(hadoops, ours)) {
                        java.nio.file.Path at = tmp.resolve(umask + "-" + kind + "-" + i);
                        Path p = new Path(at.toUri());
                        switch (kind) {
                            case "file" -> {
                                try (var out = fs.create(p, true)) {
                                    out.write(new byte[] {1, 2, 3});
                                }
                                assertTrue(java.nio.file.Files.exists(at.resolveSibling("." + at.getFileName() + ".crc")), "checksum");
                            }
                            case "dir" -> fs.mkdirs(p, new org.apache.hadoop.fs.permission.FsPermission((short) 0750));
                            default -> {
                                fs.mkdirs(p);
                                fs.setPermission(p, new org.apache.hadoop.fs.permission.FsPermission((short) 01777));
                            }
                        }
                        made[i++] = at;
                    }
                    assertEquals(fsPermission(hadoops, made[0]), fsPermission(ours, made[1]), umask + " " + kind);
                }
            }
        }
        org.apache.hadoop.fs.FileSystem defaults = FILES.fs(FILES.path(tmp.toString()));
        assertEquals(ForklessLocalFileSystem.class, defaults.getClass(), "what this project's file calls use");
    }

    private static String fsPermission(org.apache.hadoop.fs.FileSystem fs, java.nio.file.Path at) throws Exception {
        return fs.getFileStatus(new Path(at.toUri())).getPermission().toString();
    }
}

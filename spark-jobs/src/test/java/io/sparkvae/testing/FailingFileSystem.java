package io.sparkvae.testing;

import java.io.IOException;
import java.net.URI;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.util.Progressable;

/**
 * A Hadoop file system whose every call fails with an exception nobody foresaw, as a buggy client would: an
 * {@link IllegalStateException} with a cause. A command gets it for a root such as {@code failing:///vae} with
 * {@code --spark-conf spark.hadoop.fs.failing.impl=io.sparkvae.testing.FailingFileSystem}.
 */
public final class FailingFileSystem extends FileSystem {
    public static final String SCHEME = "failing";
    /** The settings that make {@link #SCHEME} URIs use this class, as {@code --spark-conf} arguments. */
    public static final String SPARK_CONF = "spark.hadoop.fs." + SCHEME + ".impl=" + FailingFileSystem.class.getName();
    public static final String MESSAGE = "the failing file system fails";
    public static final String CAUSE = "injected by the test";

    private URI uri = URI.create(SCHEME + ":///");

    @Override
    public void initialize(URI name, Configuration conf) throws IOException {
        super.initialize(name, conf);
        uri = URI.create(name.getScheme() + "://" + (name.getAuthority() == null ? "" : name.getAuthority()) + "/");
    }

    private static IllegalStateException failure() {
        return new IllegalStateException(MESSAGE, new IOException(CAUSE));
    }

    @Override
    public String getScheme() {
        return SCHEME;
    }

    @Override
    public URI getUri() {
        return uri;
    }

    @Override
    public Path getWorkingDirectory() {
        return new Path(uri);
    }

    @Override
    public void setWorkingDirectory(Path dir) {
        throw failure();
    }

    @Override
    public FileStatus getFileStatus(Path p) {
        throw failure();
    }

    @Override
    public FSDataInputStream open(Path p, int bufferSize) {
        throw failure();
    }

    @Override
    public FSDataOutputStream create(Path p, FsPermission permission, boolean overwrite, int bufferSize, short replication,
            long blockSize, Progressable progress) {
        throw failure();
    }

    @Override
    public FSDataOutputStream append(Path p, int bufferSize, Progressable progress) {
        throw failure();
    }

    @Override
    public boolean rename(Path from, Path to) {
        throw failure();
    }

    @Override
    public boolean delete(Path p, boolean recursive) {
        throw failure();
    }

    @Override
    public FileStatus[] listStatus(Path p) {
        throw failure();
    }

    @Override
    public boolean mkdirs(Path p, FsPermission permission) {
        throw failure();
    }
}

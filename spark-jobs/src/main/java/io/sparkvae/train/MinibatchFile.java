package io.sparkvae.train;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkEnv;
import org.apache.spark.deploy.SparkHadoopUtil;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The file format of one exported training minibatch: the magic {@code VAEB}, rows and columns as two int32, then
 * rows x columns float32 pixels, row-major, all little-endian. Each pixel is stored once: a serialized DL4J DataSet
 * held them twice (as features and as the labels the VAE ignores) and was read back value by value, which made
 * loading cost as much as the model's gemms.
 *
 * <p>The averaging workers read them with {@link #load}.
 */
public final class MinibatchFile {
    private static final int MAGIC = 0x42454156; // "VAEB" read as a little-endian int32
    private static final int HEADER_BYTES = 12;

    private MinibatchFile() {}

    /** Writes {@code rows} (all of one length) as one minibatch file. */
    public static void write(float[][] rows, OutputStream out) throws IOException {
        int cols = rows[0].length;
        ByteBuffer bytes = ByteBuffer.allocate(HEADER_BYTES + 4 * rows.length * cols).order(ByteOrder.LITTLE_ENDIAN);
        bytes.putInt(MAGIC).putInt(rows.length).putInt(cols);
        FloatBuffer floats = bytes.asFloatBuffer();
        for (float[] row : rows) {
            if (row.length != cols) {
                throw new IllegalArgumentException("minibatch rows differ in length: " + row.length + " vs " + cols);
            }
            floats.put(row);
        }
        out.write(bytes.array());
    }

    /** Reads one minibatch file into a FLOAT [rows, cols] matrix; {@code what} names the file in errors. */
    public static INDArray read(InputStream in, String what) throws IOException {
        return readPixels(in, what).matrix();
    }

    /** Reads one minibatch file; {@code what} names the file in errors. */
    static Minibatch readPixels(InputStream in, String what) throws IOException {
        byte[] header = in.readNBytes(HEADER_BYTES);
        ByteBuffer h = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
        if (header.length != HEADER_BYTES || h.getInt() != MAGIC) {
            throw new IOException(what + " is not a minibatch file (no VAEB header)");
        }
        int rows = h.getInt();
        int cols = h.getInt();
        if (rows < 1 || cols < 1 || (long) rows * cols > Integer.MAX_VALUE / 4) {
            throw new IOException(what + ": bad minibatch shape " + rows + " x " + cols);
        }
        byte[] data = in.readNBytes(4 * rows * cols);
        if (data.length != 4 * rows * cols) {
            throw new IOException(what + " is truncated: " + data.length + " of " + 4 * rows * cols + " pixel bytes");
        }
        float[] pixels = new float[rows * cols];
        ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(pixels);
        return new Minibatch(pixels, rows, cols);
    }

    /**
     * The Hadoop configuration of the task's Spark application ({@code spark.hadoop.*} included, e.g. an S3 endpoint),
     * as Spark builds it for its own readers; a bare {@code new Configuration()} would miss those settings.
     */
    static Configuration taskHadoopConf() {
        SparkEnv env = SparkEnv.get();
        return env == null ? new Configuration() : SparkHadoopUtil.get().newConfiguration(env.conf());
    }

    /** One minibatch file, named by its escaped URI, read with the task's Hadoop configuration. */
    static Minibatch load(String uri) throws IOException {
        Path file = new Path(URI.create(uri));
        try (InputStream in = file.getFileSystem(cachedConf()).open(file)) {
            return readPixels(in, uri);
        }
    }

    /** One configuration per executor JVM and Spark application (building one parses Hadoop's XML files). */
    private static Configuration conf;
    private static SparkEnv confOf;

    private static synchronized Configuration cachedConf() {
        if (conf == null || confOf != SparkEnv.get()) {
            conf = taskHadoopConf();
            confOf = SparkEnv.get();
        }
        return conf;
    }

    /** A minibatch's pixels, row-major. */
    record Minibatch(float[] pixels, int rows, int cols) {
        /** The pixels as a FLOAT [rows, cols] matrix. */
        INDArray matrix() {
            return Nd4j.create(pixels, new long[] {rows, cols}, 'c');
        }
    }
}

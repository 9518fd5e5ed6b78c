package io.sparkvae.train;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkEnv;
import org.apache.spark.deploy.SparkHadoopUtil;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The file format of one exported training minibatch: a magic, rows and columns as two int32, then the rows x columns
 * pixels, row-major, all little-endian. Pixels that are all 8-bit levels (k/255, as every decoded image's are) are
 * stored as one byte each under the magic {@code VAE8}, a quarter of the float32 form ({@code VAEB}) that other values
 * need; both read back bit for bit. Each pixel is stored once: a serialized DL4J DataSet held them twice (as features
 * and as the labels the VAE ignores) and was read back value by value, which made loading cost as much as the model's
 * gemms.
 *
 * <p>The averaging workers read them with {@link #load}.
 */
public final class MinibatchFile {
    private static final int MAGIC = 0x42454156; // "VAEB" read as a little-endian int32
    private static final int MAGIC_LEVELS = 0x38454156; // "VAE8"
    private static final int HEADER_BYTES = 12;

    private MinibatchFile() {}

    /** Writes {@code rows} (all of one length) as one minibatch file. */
    public static void write(float[][] rows, OutputStream out) throws IOException {
        int cols = rows[0].length;
        for (float[] row : rows) {
            if (row.length != cols) {
                throw new IllegalArgumentException("minibatch rows differ in length: " + row.length + " vs " + cols);
            }
        }
        boolean levels = Arrays.stream(rows).allMatch(PixelLevels::allLevels);
        ByteBuffer bytes = ByteBuffer.allocate(HEADER_BYTES + (levels ? 1 : 4) * rows.length * cols).order(ByteOrder.LITTLE_ENDIAN);
        bytes.putInt(levels ? MAGIC_LEVELS : MAGIC).putInt(rows.length).putInt(cols);
        if (levels) {
            for (float[] row : rows) {
                PixelLevels.encode(row, bytes);
            }
        } else {
            FloatBuffer floats = bytes.asFloatBuffer();
            for (float[] row : rows) {
                floats.put(row);
            }
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
        int magic = header.length == HEADER_BYTES ? h.getInt() : 0;
        if (magic != MAGIC && magic != MAGIC_LEVELS) {
            throw new IOException(what + " is not a minibatch file (no VAEB or VAE8 header)");
        }
        int rows = h.getInt();
        int cols = h.getInt();
        if (rows < 1 || cols < 1 || (long) rows * cols > Integer.MAX_VALUE / 4) {
            throw new IOException(what + ": bad minibatch shape " + rows + " x " + cols);
        }
        int width = magic == MAGIC_LEVELS ? 1 : 4;
        byte[] data = new byte[width * rows * cols];
        int got = in.readNBytes(data, 0, data.length);
        if (got != data.length) {
            throw new IOException(what + " is truncated: " + got + " of " + data.length + " pixel bytes");
        }
        if (width == 1) {
            return new Minibatch(null, data, rows, cols);
        }
        float[] pixels = new float[rows * cols];
        ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(pixels);
        return new Minibatch(pixels, null, rows, cols);
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

    /**
     * A minibatch's pixels, row-major, as read: float32 values, or 8-bit levels ({@link PixelLevels}) when the file held
     * those. Exactly one of {@code floats} and {@code levels} is set.
     */
    record Minibatch(float[] floats, byte[] levels, int rows, int cols) {
        /** The pixels as float32 (a copy for levels). */
        float[] pixels() {
            if (floats != null) {
                return floats;
            }
            float[] out = new float[levels.length];
            copyInto(FloatBuffer.wrap(out));
            return out;
        }

        /** Copies the pixels into {@code target} from its position on. */
        void copyInto(FloatBuffer target) {
            if (floats != null) {
                target.put(floats);
            } else {
                PixelLevels.decode(levels, target);
            }
        }

        /** The heap this minibatch holds. */
        long heapBytes() {
            return floats != null ? 4L * floats.length : levels.length;
        }

        /** The pixels as a FLOAT [rows, cols] matrix. */
        INDArray matrix() {
            return Nd4j.create(pixels(), new long[] {rows, cols}, 'c');
        }
    }
}

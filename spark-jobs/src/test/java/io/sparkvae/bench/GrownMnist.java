package io.sparkvae.bench;

import io.sparkvae.data.IdxImages;
import io.sparkvae.data.IdxReader;
import io.sparkvae.spark.SparkSessionFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * MNIST grown to FACTOR times its 70,000 images for scripts/bench-scale.sh, written as a Parquet table the prepare
 * stage reads (data.format = parquet): copy 0 is MNIST itself, copy c the same images shifted by a pixel offset of its
 * own (up to 2 pixels each way, zeros shifted in), so the copies are distinct examples of the same difficulty.
 *
 * <pre>  GrownMnist RAW OUT FACTOR FRACTION PARTITIONS</pre>
 * RAW holds mnist/ (the four IDX files); OUT must not exist; FRACTION (0, 1] keeps the first part of each IDX file
 * (a quick smoke run). Columns: {@code id} (string, "c3-train-01234"), {@code label} (int), {@code pixels}
 * (array&lt;float&gt; of 784 values in [0, 1]). The rows are made on the executors from the IDX files, a partition at
 * a time, so the grown table never passes through the driver.
 */
public final class GrownMnist {
    /** Offsets (dx, dy) of copies 1, 2, ...: the 24 shifts of at most 2 pixels, nearest first. */
    private static final List<int[]> SHIFTS = shifts();

    private GrownMnist() {}

    public static void main(String[] args) {
        if (args.length != 5) {
            throw new IllegalArgumentException("usage: GrownMnist RAW OUT FACTOR FRACTION PARTITIONS");
        }
        String raw = Path.of(args[0]).toAbsolutePath().toString();
        Path out = Path.of(args[1]).toAbsolutePath();
        int factor = Integer.parseInt(args[2]);
        double fraction = Double.parseDouble(args[3]);
        int partitions = Integer.parseInt(args[4]);
        if (factor < 1 || factor > SHIFTS.size() + 1 || !(fraction > 0 && fraction <= 1) || partitions < 1) {
            throw new IllegalArgumentException("FACTOR must be 1.." + (SHIFTS.size() + 1) + ", FRACTION in (0, 1], PARTITIONS >= 1");
        }
        if (Files.exists(out)) {
            throw new IllegalArgumentException(out + " exists already");
        }
        int train = (int) Math.ceil(60_000 * fraction);
        int test = (int) Math.ceil(10_000 * fraction);
        long perCopy = train + test;
        StructType schema = new StructType().add("id", DataTypes.StringType, false).add("label", DataTypes.IntegerType, false)
                .add("pixels", DataTypes.createArrayType(DataTypes.FloatType, false), false);
        SparkSession spark = SparkSessionFactory.create("local[2]", "grow-mnist", List.of());
        try {
            JavaRDD<Row> rows = spark.range(0, factor * perCopy, 1, partitions).javaRDD()
                    .mapPartitions(ids -> rows(ids, raw, train, perCopy));
            spark.createDataFrame(rows, schema).write().mode(SaveMode.ErrorIfExists).parquet(out.toString());
        } finally {
            spark.stop();
        }
        System.out.printf(Locale.ROOT, "{\"table\": \"%s\", \"rows\": %d, \"factor\": %d, \"per_copy\": %d}%n", out,
                factor * perCopy, factor, perCopy);
    }

    private static Iterator<Row> rows(Iterator<Long> ids, String raw, int train, long perCopy) {
        Source mnist = Source.load(raw);
        List<Row> out = new ArrayList<>();
        while (ids.hasNext()) {
            long i = ids.next();
            int copy = (int) (i / perCopy);
            int k = (int) (i % perCopy);
            boolean isTrain = k < train;
            int index = isTrain ? k : k - train;
            IdxImages images = isTrain ? mnist.train() : mnist.test();
            int label = isTrain ? mnist.trainLabels()[index] : mnist.testLabels()[index];
            int[] shift = copy == 0 ? new int[] {0, 0} : SHIFTS.get(copy - 1);
            float[] pixels = shifted(images.image(index), images.cols(), images.rows(), shift[0], shift[1]);
            Float[] boxed = new Float[pixels.length];
            for (int p = 0; p < pixels.length; p++) {
                boxed[p] = pixels[p];
            }
            String id = String.format(Locale.ROOT, "c%02d-%s-%05d", copy, isTrain ? "train" : "test", index);
            out.add(RowFactory.create(id, label, boxed));
        }
        return out.iterator();
    }

    static float[] shifted(float[] image, int width, int height, int dx, int dy) {
        float[] out = new float[image.length];
        for (int y = 0; y < height; y++) {
            int from = y - dy;
            if (from < 0 || from >= height) {
                continue;
            }
            for (int x = 0; x < width; x++) {
                int fx = x - dx;
                if (fx >= 0 && fx < width) {
                    out[y * width + x] = image[from * width + fx];
                }
            }
        }
        return out;
    }

    private static List<int[]> shifts() {
        List<int[]> all = new ArrayList<>();
        for (int dy = -2; dy <= 2; dy++) {
            for (int dx = -2; dx <= 2; dx++) {
                if (dx != 0 || dy != 0) {
                    all.add(new int[] {dx, dy});
                }
            }
        }
        all.sort((a, b) -> Integer.compare(a[0] * a[0] + a[1] * a[1], b[0] * b[0] + b[1] * b[1]));
        return List.copyOf(all);
    }

    /** MNIST's four IDX files, read once per JVM (each executor reads its own copy, as on a cluster). */
    private record Source(IdxImages train, int[] trainLabels, IdxImages test, int[] testLabels) {
        private static Source cached;

        static synchronized Source load(String raw) {
            if (cached == null) {
                Path dir = Path.of(raw, "mnist");
                cached = new Source(IdxReader.readImages(read(dir, "train-images-idx3-ubyte"), "train-images"),
                        IdxReader.readLabels(read(dir, "train-labels-idx1-ubyte"), "train-labels"),
                        IdxReader.readImages(read(dir, "t10k-images-idx3-ubyte"), "t10k-images"),
                        IdxReader.readLabels(read(dir, "t10k-labels-idx1-ubyte"), "t10k-labels"));
            }
            return cached;
        }

        private static byte[] read(Path dir, String name) {
            try {
                return Files.readAllBytes(dir.resolve(name));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + dir.resolve(name), e);
            }
        }
    }
}

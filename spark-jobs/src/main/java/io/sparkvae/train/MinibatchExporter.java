package io.sparkvae.train;

import io.sparkvae.model.Seeds;
import io.sparkvae.dataset.ExampleRows;
import io.sparkvae.io.ForklessLocalFileSystem;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.function.IntFunction;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import scala.Tuple2;

/**
 * Writes a split as shuffled minibatches, one {@link MinibatchFile} each, from the executors; the averaging workers
 * read them back with {@link MinibatchFile#load}. The shuffle is seeded, so a resumed run exports the same minibatches;
 * the averaging rounds then visit them in a fresh seeded order every epoch ({@link RoundPlan}).
 *
 * <p>Every minibatch is full but at most one, as a shuffling data loader gives them: each partition writes its full
 * minibatches and leaves the rows left over (fewer than a minibatch) in a remainder file, and one task then cuts the
 * partitions' remainders, in partition order, into full minibatches and a last short one. (Writing each partition's
 * remainder as a minibatch of its own gave every epoch a few steps on a handful of examples, and an extra averaging
 * round when they overflowed the last full one.)
 *
 * <p>The files are named by their URIs in escaped form ({@code file:/data/my%20run/...}), so a path with a space, '#',
 * '%' or other characters outside a URI survives the trip to the executors.
 */
public final class MinibatchExporter {
    private static final String REMAINDER_PREFIX = "remainder-";

    private MinibatchExporter() {}

    /** Exports and returns the files' URIs (escaped, for {@link MinibatchFile#load}); {@code dir} must not exist yet. */
    public static List<String> export(Dataset<Row> rows, int batchSize, int partitions, long seed, Path dir) {
        String target = dir.toString();
        // Shuffle primitive (key, pixels) pairs: far cheaper to serialize than Spark Rows of boxed floats.
        List<String> written = rows.select(ExampleRows.INDEX, ExampleRows.PIXELS).javaRDD()
                .mapToPair(r -> new Tuple2<>(Seeds.of(seed, Seeds.Purpose.MINIBATCH_ORDER, r.getInt(0)), ExampleRows.pixels(r)))
                // Partitioned by the (well-mixed) key itself. sortByKey's range partitioner samples with a seed made
                // from the RDD's id, so the minibatches would depend on how many RDDs the application made before
                // (train alone and train inside vae pipeline trained different models from the same seed).
                .repartitionAndSortWithinPartitions(new HashPartitioner(partitions))
                .values()
                .mapPartitionsWithIndex((p, it) -> writeBatches(p, it, batchSize, target), false)
                .collect();
        List<String> batches = new ArrayList<>();
        List<String> remainders = new ArrayList<>(); // in partition order: collect keeps it
        for (String uri : written) {
            (isRemainder(uri) ? remainders : batches).add(uri);
        }
        if (!remainders.isEmpty()) {
            JavaSparkContext jsc = JavaSparkContext.fromSparkContext(rows.sparkSession().sparkContext());
            batches.addAll(jsc.parallelize(List.of(remainders), 1).map(r -> mergeRemainders(r, batchSize, target)).collect().get(0));
        }
        return batches;
    }

    private static boolean isRemainder(String uri) {
        return uri.substring(uri.lastIndexOf('/') + 1).startsWith(REMAINDER_PREFIX);
    }

    /** Writes the partition's full minibatches, then its leftover rows (if any) as a remainder file, last. */
    private static Iterator<String> writeBatches(int partition, Iterator<float[]> rows, int batchSize, String target) {
        try {
            Cutter cutter = new Cutter(target, batchSize, n -> String.format("batch-%05d-%05d.bin", partition, n));
            rows.forEachRemaining(cutter::add);
            return cutter.finish(String.format(REMAINDER_PREFIX + "%05d.bin", partition)).iterator();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write minibatches under " + target, e);
        }
    }

    /** Cuts the remainders, in order, into full minibatches and a last short one; deletes the remainder files. */
    private static List<String> mergeRemainders(List<String> remainders, int batchSize, String target) {
        try {
            Cutter cutter = new Cutter(target, batchSize, n -> String.format("batch-merged-%05d.bin", n));
            for (String uri : remainders) {
                MinibatchFile.Minibatch rest = MinibatchFile.load(uri);
                float[] pixels = rest.pixels();
                for (int r = 0; r < rest.rows(); r++) {
                    cutter.add(Arrays.copyOfRange(pixels, r * rest.cols(), (r + 1) * rest.cols()));
                }
            }
            List<String> written = cutter.finish(null);
            for (String uri : remainders) {
                cutter.fs.delete(new Path(URI.create(uri)), false);
            }
            return written;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write minibatches under " + target, e);
        }
    }

    /** Cuts rows, in the order given, into minibatch files of {@code batchSize} rows, named by their number. */
    private static final class Cutter {
        private final Path dir;
        private final FileSystem fs;
        private final int batchSize;
        private final IntFunction<String> name;
        private final List<float[]> batch = new ArrayList<>();
        private final List<String> written = new ArrayList<>();

        Cutter(String target, int batchSize, IntFunction<String> name) throws IOException {
            this.dir = new Path(target);
            this.fs = ForklessLocalFileSystem.of(dir.getFileSystem(MinibatchFile.taskHadoopConf()));
            this.batchSize = batchSize;
            this.name = name;
        }

        void add(float[] row) {
            batch.add(row);
            if (batch.size() == batchSize) {
                write(name.apply(written.size()));
            }
        }

        /** Writes the rows left (fewer than a minibatch) as {@code restName}, or as the next numbered file if null. */
        List<String> finish(String restName) {
            if (!batch.isEmpty()) {
                write(restName != null ? restName : name.apply(written.size()));
            }
            return written;
        }

        /** One minibatch file (replacing one a failed attempt of the task left). */
        private void write(String fileName) {
            Path file = new Path(dir, fileName);
            try (OutputStream out = fs.create(file, true)) {
                MinibatchFile.write(batch.toArray(new float[0][]), out);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write minibatches under " + dir, e);
            }
            batch.clear();
            written.add(file.toUri().toString());
        }
    }
}

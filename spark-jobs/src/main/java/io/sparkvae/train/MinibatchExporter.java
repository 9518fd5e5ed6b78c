package io.sparkvae.train;

import io.sparkvae.model.Seeds;
import io.sparkvae.dataset.ExampleRows;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.HashPartitioner;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import scala.Tuple2;

/**
 * Writes a split as shuffled minibatches, one {@link MinibatchFile} each, from the executors; the averaging workers
 * read them back with {@link MinibatchFile#load}. The shuffle is seeded, so a resumed run exports the same minibatches;
 * the averaging rounds then visit them in a fresh seeded order every epoch ({@link RoundPlan}).
 *
 * <p>The files are named by their URIs in escaped form ({@code file:/data/my%20run/...}), so a path with a space, '#',
 * '%' or other characters outside a URI survives the trip to the executors.
 */
public final class MinibatchExporter {
    private MinibatchExporter() {}

    /** Exports and returns the files' URIs (escaped, for {@link MinibatchFile#load}); {@code dir} must not exist yet. */
    public static List<String> export(Dataset<Row> rows, int batchSize, int partitions, long seed, Path dir) {
        String target = dir.toString();
        // Shuffle primitive (key, pixels) pairs: far cheaper to serialize than Spark Rows of boxed floats.
        return rows.select(ExampleRows.INDEX, ExampleRows.PIXELS).javaRDD()
                .mapToPair(r -> new Tuple2<>(Seeds.of(seed, Seeds.Purpose.MINIBATCH_ORDER, r.getInt(0)), ExampleRows.pixels(r)))
                // Partitioned by the (well-mixed) key itself. sortByKey's range partitioner samples with a seed made
                // from the RDD's id, so the minibatches would depend on how many RDDs the application made before
                // (train alone and train inside vae pipeline trained different models from the same seed).
                .repartitionAndSortWithinPartitions(new HashPartitioner(partitions))
                .values()
                .mapPartitionsWithIndex((p, it) -> writeBatches(p, it, batchSize, target), false)
                .collect();
    }

    private static Iterator<String> writeBatches(int partition, Iterator<float[]> rows, int batchSize, String target) {
        List<String> written = new ArrayList<>();
        List<float[]> batch = new ArrayList<>(batchSize);
        Path dir = new Path(target);
        try {
            FileSystem fs = dir.getFileSystem(MinibatchFile.taskHadoopConf());
            while (rows.hasNext()) {
                batch.add(rows.next());
                if (batch.size() == batchSize || !rows.hasNext()) {
                    Path file = new Path(dir, String.format("batch-%05d-%05d.bin", partition, written.size()));
                    try (OutputStream out = fs.create(file, false)) {
                        MinibatchFile.write(batch.toArray(new float[0][]), out);
                    }
                    written.add(file.toUri().toString());
                    batch.clear();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write minibatches under " + target, e);
        }
        return written.iterator();
    }
}

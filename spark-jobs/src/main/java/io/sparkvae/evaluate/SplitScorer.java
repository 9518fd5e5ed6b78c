package io.sparkvae.evaluate;

import io.sparkvae.spark.TaskProgress;
import io.sparkvae.spark.TaskThreads;
import io.sparkvae.dataset.ExampleRows;
import io.sparkvae.model.Vae;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * Scores a split on the executors: the model is broadcast once (as bytes; each task restores a private copy), the
 * rows are regrouped so every aligned block of source indices lands whole in one partition in index order, and each
 * block goes through the model's own estimators with seeds derived from the run seed and the block's first index.
 * The result therefore depends only on the model, the data and the settings, not on how the input was partitioned.
 */
public final class SplitScorer {
    private SplitScorer() {}

    /**
     * Scoring tasks for {@code examples} rows: at least the configured partitions and two per core (so a slow task
     * does not leave a core idle at the end), never more than there are blocks.
     */
    public static int partitionsFor(long examples, int blockSize, int configured, int defaultParallelism) {
        long blocks = Math.max(1, (examples + blockSize - 1) / blockSize + 1); // +1: the split may start mid-block
        return (int) Math.max(1, Math.min(blocks, Math.max(configured, 2L * defaultParallelism)));
    }

    /**
     * Starts scoring {@code split} (lazily: the first use of the result runs it, once).
     *
     * @param partitions how many scoring tasks (affects speed only, never the numbers)
     */
    public static ScoredSplit score(SparkSession spark, Dataset<Row> split, Vae vae, ScoringSettings settings,
                                    int partitions) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<VaeBytes> model = jsc.broadcast(VaeBytes.of(vae));
        JavaPairRDD<Integer, Example> keyed = split
                .select(ExampleRows.INDEX, ExampleRows.LABEL, ExampleRows.PIXELS)
                .javaRDD()
                .mapToPair(r -> new Tuple2<>(ExampleRows.index(r),
                        new Example(ExampleRows.index(r), ExampleRows.label(r), ExampleRows.pixels(r))));
        JavaRDD<ExampleScore> scores = TaskProgress.counted(keyed
                .repartitionAndSortWithinPartitions(new BlockPartitioner(partitions, settings.blockSize()))
                .mapPartitions(rows -> {
                    TaskThreads.fitToTask(); // one BLAS thread per task core, not every core per task
                    return new PartitionScorer(rows, () -> model.value().restore(), settings);
                }))
                // Kept: the means and the per-example table both read them, and importance sampling is the costly part.
                .persist(StorageLevel.MEMORY_AND_DISK());
        return new ScoredSplit(spark, scores, model, settings.blockSize());
    }
}

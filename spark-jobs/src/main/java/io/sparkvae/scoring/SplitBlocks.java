package io.sparkvae.scoring;

import io.sparkvae.dataset.ExampleRows;
import io.sparkvae.spark.TaskThreads;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import scala.Tuple2;

/**
 * Scoring a prepared split ({@code index}, {@code label}, {@code pixels} rows) on the executors: the rows are regrouped
 * so every aligned block of indices lands whole in one partition in index order ({@link BlockPartitioner}), then each
 * block goes through {@link BlockScorer}. Every number depends only on the model, the data and the settings, never on
 * how the input was partitioned.
 */
public final class SplitBlocks {
    private SplitBlocks() {}

    /**
     * Scoring tasks for {@code examples} rows: at least the configured partitions and two per core (so a slow task
     * does not leave a core idle at the end), never more than there are blocks.
     */
    public static int partitionsFor(long examples, int blockSize, int configured, int defaultParallelism) {
        long blocks = Math.max(1, (examples + blockSize - 1) / blockSize + 1); // +1: the split may start mid-block
        return (int) Math.max(1, Math.min(blocks, Math.max(configured, 2L * defaultParallelism)));
    }

    /** The split's examples keyed by index, each aligned block whole in one of {@code partitions}, sorted by index. */
    public static JavaPairRDD<Integer, Example> regroup(Dataset<Row> split, int partitions, int blockSize) {
        return split.select(ExampleRows.INDEX, ExampleRows.LABEL, ExampleRows.PIXELS)
                .javaRDD()
                .mapToPair(r -> new Tuple2<>(ExampleRows.index(r),
                        new Example(ExampleRows.index(r), ExampleRows.label(r), ExampleRows.pixels(r))))
                .repartitionAndSortWithinPartitions(new BlockPartitioner(partitions, blockSize));
    }

    /** Scores regrouped examples (lazily), each partition's scores in ascending index order. */
    public static JavaRDD<ExampleScore> score(JavaPairRDD<Integer, Example> regrouped, Broadcast<VaeBytes> model,
                                              ScoringSettings settings) {
        return regrouped.mapPartitions(rows -> {
            TaskThreads.fitToTask(); // one BLAS thread per task core, not every core per task
            return ScoredBlocks.aligned(rows, Tuple2::_1, t -> t._2().pixels(), () -> model.value().restore(), settings,
                    (t, s, i) -> new ExampleScore(t._1(), t._2().label(), s.reconstruction()[i], s.kl()[i],
                            s.logLikelihood()[i], s.latentMean()[i]));
        });
    }
}

package io.sparkvae.evaluate;

import io.sparkvae.model.Vae;
import io.sparkvae.scoring.ExampleScore;
import io.sparkvae.scoring.ScoringSettings;
import io.sparkvae.scoring.SplitBlocks;
import io.sparkvae.scoring.VaeBytes;
import io.sparkvae.spark.TaskProgress;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * Scores a split on the executors through the one scoring path ({@link SplitBlocks}): the model is broadcast once (as
 * bytes; each task restores a private copy), aligned blocks of indices are scored whole, and the scores stay on the
 * executors for the means and the per-example table.
 */
public final class SplitScorer {
    private SplitScorer() {}

    /**
     * Starts scoring {@code split} (lazily: the first use of the result runs it, once).
     *
     * @param partitions how many scoring tasks (affects speed only, never the numbers)
     */
    public static ScoredSplit score(SparkSession spark, Dataset<Row> split, Vae vae, ScoringSettings settings,
                                    int partitions) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<VaeBytes> model = jsc.broadcast(VaeBytes.of(vae));
        JavaRDD<ExampleScore> scores = TaskProgress.counted(SplitBlocks.score(
                        SplitBlocks.regroup(split, partitions, settings.blockSize()), model, settings))
                // Kept: the means and the per-example table both read them, and importance sampling is the costly part.
                .persist(StorageLevel.MEMORY_AND_DISK());
        return new ScoredSplit(spark, scores, model, settings.blockSize());
    }
}

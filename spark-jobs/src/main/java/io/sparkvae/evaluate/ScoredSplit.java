package io.sparkvae.evaluate;

import io.sparkvae.io.BadInputException;
import io.sparkvae.scoring.BlockSum;
import io.sparkvae.scoring.ExampleScore;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/**
 * A scored split that stays on the executors, so the driver's memory does not grow with the test set: the scores
 * are computed once and kept there (memory, then disk), the driver receives one {@link BlockSum} per block for the
 * means, and the per-example table is written by the executors. Closing releases the scores and the broadcast model.
 */
public final class ScoredSplit implements AutoCloseable {
    private final SparkSession spark;
    private final JavaRDD<ExampleScore> scores;
    private final Broadcast<?> model;
    private final int blockSize;
    private List<BlockSum> blocks;

    ScoredSplit(SparkSession spark, JavaRDD<ExampleScore> scores, Broadcast<?> model, int blockSize) {
        this.spark = spark;
        this.scores = scores;
        this.model = model;
        this.blockSize = blockSize;
    }

    /** The per-example scores, each partition in ascending index order. */
    public JavaRDD<ExampleScore> scores() {
        return scores;
    }

    /** The test-set means (a split holding an index twice fails the scoring with a {@link BadInputException}). */
    public EvalMetrics metrics() {
        return EvalMetrics.of(blocks());
    }

    /** The scores as rows of {@link Evaluation#perExampleSchema} (with labels when the data set has them), by index. */
    public Dataset<Row> table() {
        boolean withLabels = blocks().stream().anyMatch(b -> b.labelled() > 0);
        JavaRDD<Row> rows = scores.map(s -> withLabels
                ? RowFactory.create(s.index(), s.label(), s.negElbo(), s.reconstruction(), s.kl(), s.logLikelihoodIs(),
                        boxed(s.latentMean()))
                : RowFactory.create(s.index(), s.negElbo(), s.reconstruction(), s.kl(), s.logLikelihoodIs(), boxed(s.latentMean())));
        return spark.createDataFrame(rows, Evaluation.perExampleSchema(withLabels)).orderBy("index");
    }

    private static Float[] boxed(float[] values) {
        Float[] out = new Float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }

    private List<BlockSum> blocks() {
        if (blocks == null) {
            int size = blockSize;
            blocks = scores.mapPartitions(it -> BlockSum.of(it, size)).collect();
        }
        return blocks;
    }

    @Override
    public void close() {
        scores.unpersist();
        model.destroy();
    }
}

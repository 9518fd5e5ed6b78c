package io.sparkvae.evaluate;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.sparkvae.io.HadoopFiles;
import io.sparkvae.scoring.ScoringSettings;
import io.sparkvae.io.JsonLines;
import io.sparkvae.model.VaeStore;
import io.sparkvae.train.Checkpoints;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * The paper's learning curve: the test -ELBO of every kept epoch checkpoint against the training examples seen by
 * then, each scored by {@link SplitScorer} exactly like the final model (same seeds, so the last checkpoint's point
 * equals the final -ELBO). Written as {@code curve.jsonl} in the evaluate stage's folder.
 */
public final class CheckpointCurve {
    private CheckpointCurve() {}

    /**
     * One checkpoint's test scores (nats per image).
     *
     * @param examplesSeen training examples the model had fitted: epoch x training split size
     */
    @JsonPropertyOrder({"epoch", "examples_seen", "test_neg_elbo", "test_reconstruction_bce", "test_kl"})
    public record Point(
            int epoch,
            @JsonProperty("examples_seen") long examplesSeen,
            @JsonProperty("test_neg_elbo") double testNegElbo,
            @JsonProperty("test_reconstruction_bce") double testReconstructionBce,
            @JsonProperty("test_kl") double testKl) {}

    /** Scores every checkpoint under {@code checkpoints}, oldest first (the -ELBO only; see {@link ScoringSettings#elboOnly()}). */
    public static List<Point> score(SparkSession spark, Dataset<Row> test, Checkpoints checkpoints, HadoopFiles files,
                                    long trainExamples, ScoringSettings settings, int partitions) {
        List<Point> points = new ArrayList<>();
        Dataset<Row> cached = test.persist(StorageLevel.MEMORY_AND_DISK()); // read once, scored once per checkpoint
        try {
            for (int epoch : checkpoints.epochs()) {
                var vae = VaeStore.load(checkpoints.dir(epoch), files).vae();
                EvalMetrics m;
                try (ScoredSplit scored = SplitScorer.score(spark, cached, vae, settings.elboOnly(), partitions)) {
                    m = scored.metrics();
                }
                points.add(new Point(epoch, epoch * trainExamples, m.negElbo(), m.reconstruction(), m.kl()));
            }
        } finally {
            cached.unpersist();
        }
        return points;
    }

    public static String toJsonLines(List<Point> points) {
        return JsonLines.of(points);
    }

    /** Reads a curve file's text; a line that is not a point is bad input naming {@code origin}. */
    public static List<Point> parse(String text, String origin) {
        return JsonLines.parse(text, Point.class, origin);
    }
}

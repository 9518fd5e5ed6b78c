package io.sparkvae.evaluate;

import io.sparkvae.io.HadoopFiles;
import io.sparkvae.layout.RunLayout.EvalFiles;
import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Writes a scored test set as the evaluate stage's folder: the {@link EvalReport}, the per-example table, the learning
 * curve when there is one, then {@code _SUCCESS}.
 */
public final class Evaluation {
    private final HadoopFiles files;

    public Evaluation(HadoopFiles files) {
        this.files = files;
    }

    /**
     * Per-example rows: index, label (only when the data set has labels), the -ELBO, its parts, log p(x) and the
     * posterior mean E[z|x].
     */
    public static StructType perExampleSchema(boolean withLabels) {
        StructType s = new StructType().add("index", DataTypes.IntegerType, false);
        if (withLabels) {
            s = s.add("label", DataTypes.IntegerType, true);
        }
        return s.add("neg_elbo", DataTypes.DoubleType, false)
                .add("reconstruction_bce", DataTypes.DoubleType, false)
                .add("kl", DataTypes.DoubleType, false)
                .add("log_likelihood_is", DataTypes.DoubleType, false)
                .add("latent_mean", DataTypes.createArrayType(DataTypes.FloatType, false), false);
    }

    /**
     * Writes into a temporary sibling of {@code target} and commits it there; nothing is left behind on any failure. The
     * per-example table is written by the executors.
     *
     * @param curve the test learning curve, or null when none was scored
     */
    public void commit(EvalFiles target, EvalReport report, ScoredSplit scored, List<CheckpointCurve.Point> curve,
                       boolean overwrite) {
        // An output without _SUCCESS is a leftover of a crash between rename and marker: writeStaged replaces it.
        files.writeStaged(target.dir(), overwrite, dir -> {
            EvalFiles staged = target.stagedIn(dir);
            // One file, in index order, is the easiest for users to open; one task writes it, streaming.
            scored.table().coalesce(1).write().parquet(staged.perExample().toString());
            files.writeString(staged.metrics(), report.toJson());
            if (curve != null) {
                files.writeString(staged.curve(), CheckpointCurve.toJsonLines(curve));
            }
            return null;
        });
    }
}

package io.sparkvae.evaluate;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.sparkvae.io.HadoopFiles;
import io.sparkvae.model.LoadedVae;
import io.sparkvae.provenance.Provenance;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Writes a scored test set as {@code eval/}: {@value #METRICS}, {@value #PER_EXAMPLE}, the learning curve
 * ({@value TestCurve#FILE}) when there is one, then {@code _SUCCESS}.
 */
public final class Evaluation {
    public static final String DIR = "eval";
    public static final String METRICS = "metrics.json";
    public static final String PER_EXAMPLE = "per_example.parquet";

    private final HadoopFiles files;

    public Evaluation(HadoopFiles files) {
        this.files = files;
    }

    /**
     * The content of {@value #METRICS}: the means, how they were estimated, the model's configuration and provenance.
     * Holds nothing that varies between reruns except the provenance's timestamp.
     */
    public static Map<String, Object> metricsJson(EvalMetrics metrics, ScoringSettings settings, LoadedVae model,
                                                  String modelDir, Provenance provenance) {
        Map<String, Object> m = new LinkedHashMap<>(metrics.toMap());
        m.put("split", "test");
        m.put("elbo_samples", settings.elboSamples());
        m.put("is_samples", settings.isSamples());
        m.put("batch_size", settings.blockSize());
        m.put("seed", settings.seed());
        m.put("model", model.vae().spec().toMap());
        m.put("model_dir", modelDir);
        m.put("model_provenance", model.provenance());
        m.put("provenance", provenance);
        return m;
    }

    /** Per-example rows: index, label (only when the data set has labels), the -ELBO, its parts and log p(x). */
    public static StructType perExampleSchema(boolean withLabels) {
        StructType s = new StructType().add("index", DataTypes.IntegerType, false);
        if (withLabels) {
            s = s.add("label", DataTypes.IntegerType, true);
        }
        return s.add("neg_elbo", DataTypes.DoubleType, false)
                .add("reconstruction_bce", DataTypes.DoubleType, false)
                .add("kl", DataTypes.DoubleType, false)
                .add("log_likelihood_is", DataTypes.DoubleType, false);
    }

    /**
     * Writes into a temporary sibling of {@code target} and commits it there; nothing is left behind on failure. The
     * per-example table is written by the executors.
     *
     * @param curve the test learning curve, or null when none was scored
     */
    public void commit(Path target, Map<String, Object> metricsJson, ScoredSplit scored, List<TestCurve.Point> curve,
                       boolean overwrite) {
        Path tmp = files.temporarySibling(target);
        try {
            // One file, in index order, is the easiest for users to open; one task writes it, streaming.
            scored.table().coalesce(1).write().parquet(new Path(tmp, PER_EXAMPLE).toString());
            files.writeString(new Path(tmp, METRICS), Provenance.json().writeValueAsString(metricsJson));
            if (curve != null) {
                files.writeString(new Path(tmp, TestCurve.FILE), TestCurve.toJsonLines(curve));
            }
            // An output without _SUCCESS is a leftover of a crash between rename and marker: replace it.
            boolean replace = overwrite || (files.exists(target) && !files.isComplete(target));
            files.commitDirectory(tmp, target, replace);
        } catch (JsonProcessingException e) {
            files.deleteQuietly(tmp);
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            files.deleteQuietly(tmp);
            throw e;
        }
    }
}

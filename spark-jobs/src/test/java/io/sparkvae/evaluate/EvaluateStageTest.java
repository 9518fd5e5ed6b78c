package io.sparkvae.evaluate;

import io.sparkvae.testing.StageRuns;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkvae.testing.StageRuns.Outcome;
import io.sparkvae.testing.LocalSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code vae evaluate} end to end through the command line on a real local Spark session. */
@Tag("spark")
class EvaluateStageTest {
    private static Path root;
    private static Path conf;

    @BeforeAll
    static void prepareDataset() {
        root = StageRuns.shared().root();
        conf = StageRuns.shared().conf();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> metrics(Path evalDir) throws Exception {
        return new ObjectMapper().readValue(Files.readString(evalDir.resolve("metrics.json")), Map.class);
    }

    @Test
    void scoresTheTestSplitAndRerunsIdentically() throws Exception {
        TinyModels.saveRun(TinyModels.trained(784, 2, 2), root, "tiny");
        Outcome o = StageRuns.vae("evaluate", conf, root);
        assertEquals(0, o.code(), o.err());
        Path eval = root.resolve("runs/tiny/eval");
        assertTrue(Files.exists(eval.resolve("_SUCCESS")));

        Map<String, Object> m = metrics(eval);
        assertEquals(200, m.get("examples"));
        assertEquals(20, m.get("is_samples"));
        assertEquals(2, m.get("elbo_samples"));
        double negElbo = (Double) m.get("test_neg_elbo");
        double rec = (Double) m.get("test_reconstruction_bce");
        double kl = (Double) m.get("test_kl");
        double ll = (Double) m.get("test_log_likelihood_is");
        assertEquals(rec + kl, negElbo, 1e-9);
        assertTrue(kl > 0 && rec > 0);
        assertTrue(ll >= -negElbo, "the bound must hold: IS " + ll + " vs ELBO " + -negElbo);
        assertEquals(2, ((Map<String, Object>) m.get("model")).get("latentSize"));
        Map<String, Object> provenance = (Map<String, Object>) m.get("provenance");
        assertEquals("tiny", provenance.get("run"));
        assertTrue(((String) provenance.get("datasetSha256")).matches("[0-9a-f]{64}"));

        // Already complete: skipped, untouched.
        Outcome again = StageRuns.vae("evaluate", conf, root);
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().contains("skipping"), again.out());

        // Rebuilt: the same numbers to the last bit.
        Outcome rebuilt = StageRuns.vae("evaluate", conf, root, "--overwrite");
        assertEquals(0, rebuilt.code(), rebuilt.err());
        Map<String, Object> m2 = metrics(eval);
        for (String k : List.of("test_neg_elbo", "test_reconstruction_bce", "test_kl", "test_log_likelihood_is")) {
            assertEquals(m.get(k), m2.get(k), k);
        }
        assertEquals(List.of(), StageRuns.named(root.resolve("runs/tiny"), ".eval"));

        SparkSession spark = LocalSpark.start("evaluate-read");
        try {
            List<Row> rows = spark.read().parquet(eval.resolve("per_example.parquet").toString()).orderBy("index").collectAsList();
            assertEquals(200, rows.size());
            Row first = rows.get(0);
            assertEquals(List.of("index", "label", "neg_elbo", "reconstruction_bce", "kl", "log_likelihood_is", "latent_mean"),
                    List.of(first.schema().fieldNames()));
            assertEquals(7, first.getInt(1)); // the first MNIST test digit is a 7
            double sum = rows.stream().mapToDouble(r -> r.getDouble(2)).sum();
            assertEquals(negElbo, sum / 200, 1e-9);
        } finally {
            spark.stop();
        }
    }

    @Test
    void curveScoresEveryCheckpointAndEndsAtTheFinalElbo() throws Exception {
        String[] run = {"--set", "run.name=curve", "--set", "train.epochs=2", "--set", "train.keep-checkpoints=0"};
        assertEquals(0, StageRuns.vae("train", conf, root, run).code());
        Outcome o = StageRuns.vae("evaluate", conf, root, "--set", "run.name=curve", "--set", "evaluate.curve=true");
        assertEquals(0, o.code(), o.err());
        Path eval = root.resolve("runs/curve/eval");
        List<CheckpointCurve.Point> curve = CheckpointCurve.parse(Files.readString(eval.resolve("curve.jsonl")), "curve.jsonl");
        assertEquals(List.of(1, 2), curve.stream().map(CheckpointCurve.Point::epoch).toList());
        assertEquals(List.of(200L, 400L), curve.stream().map(CheckpointCurve.Point::examplesSeen).toList());
        for (CheckpointCurve.Point p : curve) {
            assertEquals(p.testReconstructionBce() + p.testKl(), p.testNegElbo(), 1e-9);
        }
        // The last checkpoint is the final model, scored with the same seeds: the same -ELBO to the last bit.
        assertEquals((Double) metrics(eval).get("test_neg_elbo"), curve.get(1).testNegElbo(), 0.0);
        assertTrue(o.out().contains("curve: epoch 2 (400 examples seen)"), o.out());
    }

    @Test
    void curveWithoutCheckpointsIsBadInputNamingTheKey() {
        TinyModels.saveRun(TinyModels.trained(784, 2, 0), root, "nocheckpoints");
        Outcome o = StageRuns.vae("evaluate", conf, root, "--set", "run.name=nocheckpoints", "--set", "evaluate.curve=true");
        assertEquals(2, o.code(), o.err());
        assertTrue(o.err().contains("evaluate.curve") && o.err().contains("no checkpoints"), o.err());
        assertFalse(Files.exists(root.resolve("runs/nocheckpoints/eval")));
    }

    @Test
    void zeroImportanceSamplesAreRefusedNamingTheKey() {
        Outcome o = StageRuns.vae("evaluate", conf, root, "--set", "run.name=nosamples", "--set", "evaluate.is-samples=0");
        assertEquals(2, o.code(), o.err());
        assertTrue(o.err().contains("evaluate.is-samples"), o.err());
        assertFalse(Files.exists(root.resolve("runs/nosamples")));
    }
}

package io.sparkvae.report;

import io.sparkvae.evaluate.CheckpointCurve;
import io.sparkvae.evaluate.EvalReport;
import io.sparkvae.experiments.ExperimentResults;
import io.sparkvae.experiments.ExperimentResults.RunResult;
import io.sparkvae.experiments.Machine;
import io.sparkvae.experiments.RunTiming;
import io.sparkvae.model.EpochMetrics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small hand-made results for testing the report and verdicts without running anything. */
final class SyntheticResults {
    private SyntheticResults() {}

    static final long TRAIN = 1000;

    /** A run whose test -ELBO per epoch is {@code curve} (the last value is the final one), IS log p(x) = -(final - 2). */
    static RunResult run(String name, String dataset, int latent, List<Integer> hidden, String activation, String optimizer,
                         double... curve) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("data", new LinkedHashMap<>(Map.of("dataset", dataset, "limit", 0)));
        config.put("model", new LinkedHashMap<>(Map.of("latent", latent, "hidden", hidden, "activation", activation,
                "init", activation.equals("tanh") ? "normal" : "xavier")));
        config.put("train", new LinkedHashMap<>(Map.of("epochs", curve.length, "optimizer", optimizer,
                "learning-rate", optimizer.equals("adam") ? 0.001 : 0.02, "learning-rate-scaling", "linear", "workers", 2,
                "batch-size", 100, "averaging-frequency", 50)));
        config.put("run", Map.of("name", name));
        config.put("seed", 42);
        config.put("evaluate", Map.of("is-samples", 100));
        List<CheckpointCurve.Point> points = new ArrayList<>();
        List<EpochMetrics> training = new ArrayList<>();
        for (int e = 1; e <= curve.length; e++) {
            points.add(new CheckpointCurve.Point(e, e * TRAIN, curve[e - 1], curve[e - 1] - 5, 5));
            training.add(new EpochMetrics(e, curve[e - 1] + 1, curve[e - 1], 2.0, 500));
        }
        double last = curve[curve.length - 1];
        EvalReport eval = new EvalReport(100, last, last - 5, 5, -(last - 2), 2, "test", 1, 100, 100, 42, Map.of(),
                "file:/tmp/work/runs/" + name + "/model", null, null);
        Map<String, String> pictures = new LinkedHashMap<>();
        pictures.put("reconstructions", "pictures/" + name + "-reconstructions.png");
        if (latent == 2) {
            pictures.put("manifold", "pictures/" + name + "-manifold.png");
        }
        RunTiming timing = new RunTiming(name, 10.0 * curve.length, List.of("train", "evaluate", "render"), false, null, "2024-01-01T00:00:00Z");
        return new RunResult(name, activation + "+" + optimizer + " " + hidden, dataset + ", nz=" + latent, dataset, "conf/x.conf",
                List.of("run.name=" + name), config, TRAIN, curve.length, curve.length * TRAIN, training, points, eval,
                2.0 * curve.length, List.of(timing), pictures);
    }

    static ExperimentResults experiment(String name, RunResult... runs) {
        return new ExperimentResults(name, "file:/repo/conf/experiments/" + name + ".conf", "A synthetic sweep.",
                "scripts/experiments/run.sh " + name, List.of("train.epochs=3"), "file:/tmp/work", null,
                new Machine(2, "Test CPU", 8_000_000_000L, "Linux", "Java 17"), "abc123", "2024-01-01T00:00:00Z", List.of(runs));
    }
}

package io.sparkvae.experiments;

import io.sparkvae.dataset.DatasetManifest;
import io.sparkvae.evaluate.Evaluation;
import io.sparkvae.evaluate.TestCurve;
import io.sparkvae.io.HadoopFiles;
import io.sparkvae.io.JsonLines;
import io.sparkvae.pipeline.PipelinePlan;
import io.sparkvae.provenance.Provenance;
import io.sparkvae.render.Renderer;
import io.sparkvae.train.EpochMetrics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.Path;

/**
 * Gathers a finished sweep's outputs into {@code <root>/experiments/<name>/}: {@code pictures/} (each run's
 * reconstructions and, for 2-D latent spaces, manifold, with their provenance sidecars; committed whole), then
 * {@value ExperimentResults#FILE}, written last and atomically.
 */
public final class ResultsCollector {
    /** The pictures the report shows, by kind. */
    static final Map<String, String> PICTURES = Map.of("reconstructions", Renderer.RECONSTRUCTIONS, "manifold", Renderer.MANIFOLD);

    private final HadoopFiles files;
    private final Path root;

    public ResultsCollector(HadoopFiles files, Path root) {
        this.files = files;
        this.root = root;
    }

    public static Path dir(Path root, String experiment) {
        return new Path(new Path(root, "experiments"), experiment);
    }

    public static Path timingFile(Path root, String experiment, String run) {
        return new Path(new Path(dir(root, experiment), "timings"), run + ".jsonl");
    }

    /** The runner's calls for a run so far (none when the file does not exist). */
    static List<RunTiming> timings(HadoopFiles files, Path file) {
        return files.exists(file) ? JsonLines.parse(files.readString(file), RunTiming.class) : List.of();
    }

    /**
     * Collects every run (each must be complete) and writes the results; returns them.
     *
     * @param plans   each run's pipeline plan (where its outputs are), in the experiment's order
     * @param command the command that ran the sweep
     */
    public ExperimentResults collect(Experiment experiment, List<PipelinePlan> plans, String command, String master) {
        Path dir = dir(root, experiment.name());
        Path picturesTmp = files.temporarySibling(new Path(dir, "pictures"));
        try {
            files.mkdirs(picturesTmp);
            List<ExperimentResults.RunResult> runs = new ArrayList<>();
            for (int i = 0; i < plans.size(); i++) {
                runs.add(collect(experiment.name(), experiment.runs().get(i), plans.get(i), picturesTmp));
            }
            files.commitDirectory(picturesTmp, new Path(dir, "pictures"), true);
            ExperimentResults results = new ExperimentResults(experiment.name(), experiment.file(), experiment.description(),
                    command, experiment.sets(), root.toString(), master, Machine.current(), Provenance.currentGitCommit(),
                    Instant.now().toString(), runs);
            files.writeBytesAtomically(new Path(dir, ExperimentResults.FILE),
                    ExperimentResults.toJson(results).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return results;
        } catch (RuntimeException e) {
            files.deleteQuietly(picturesTmp);
            throw e;
        }
    }

    private ExperimentResults.RunResult collect(String experiment, ExperimentRun run, PipelinePlan plan, Path pictures) {
        Path evalDir = plan.step("evaluate").output();
        Path runDir = evalDir.getParent();
        files.requireComplete(evalDir, "evaluation of run " + run.name());
        DatasetManifest manifest = DatasetManifest.read(files, plan.step("prepare").output());
        long trainExamples = manifest.splits().get("train").count();
        List<EpochMetrics> training = EpochMetrics.parse(files.readString(new Path(runDir, EpochMetrics.FILE)), new Path(runDir, EpochMetrics.FILE).toString());
        Path curveFile = new Path(evalDir, TestCurve.FILE);
        List<TestCurve.Point> curve = files.exists(curveFile) ? TestCurve.parse(files.readString(curveFile)) : List.of();
        @SuppressWarnings("unchecked")
        Map<String, Object> eval = ExperimentResults.read(files.readString(new Path(evalDir, Evaluation.METRICS)), Map.class,
                evalDir.toString());
        List<RunTiming> timings = timings(files, timingFile(root, experiment, run.name()));

        Map<String, String> copied = new LinkedHashMap<>();
        Path renderDir = plan.step("render").output();
        files.requireComplete(renderDir, "pictures of run " + run.name());
        for (Map.Entry<String, String> kind : new java.util.TreeMap<>(PICTURES).entrySet()) {
            Path png = new Path(renderDir, kind.getValue());
            if (files.exists(png)) {
                String name = run.name() + "-" + kind.getValue();
                files.writeBytes(new Path(pictures, name), files.readBytes(png));
                Path sidecar = new Path(renderDir, kind.getValue().replaceFirst("\\.png$", ".json"));
                files.writeBytes(new Path(pictures, name.replaceFirst("\\.png$", ".json")), files.readBytes(sidecar));
                copied.put(kind.getKey(), "pictures/" + name);
            }
        }
        int epochs = training.size();
        double trainSeconds = training.stream().mapToDouble(EpochMetrics::seconds).sum();
        return new ExperimentResults.RunResult(run.name(), run.label(), run.group(), run.config().data().dataset(), run.base(),
                run.overrides(), run.config().resolved(), trainExamples, epochs, epochs * trainExamples, training, curve, eval,
                trainSeconds, timings, copied);
    }
}

package io.sparkvae.experiments;

import io.sparkvae.dataset.DatasetManifest;
import io.sparkvae.evaluate.CheckpointCurve;
import io.sparkvae.evaluate.EvalReport;
import io.sparkvae.image.PictureWriter;
import io.sparkvae.io.HadoopFiles;
import io.sparkvae.io.JsonLines;
import io.sparkvae.pipeline.PipelinePlan;
import io.sparkvae.provenance.Provenance;
import io.sparkvae.layout.RunLayout;
import io.sparkvae.model.EpochMetrics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.Path;

/**
 * Gathers a finished sweep's outputs into {@code <root>/experiments/<name>/}: {@code pictures/} (each run's
 * reconstructions and, for 2-D latent spaces, manifold, with their provenance sidecars; committed whole), then
 * {@code results.json}, written last and atomically.
 */
public final class ResultsCollector {
    private final HadoopFiles files;
    private final RunLayout.ExperimentLayout layout;

    public ResultsCollector(HadoopFiles files, RunLayout.ExperimentLayout layout) {
        this.files = files;
        this.layout = layout;
    }

    /** The runner's calls for a run so far (none when the file does not exist). */
    static List<RunTiming> timings(HadoopFiles files, Path file) {
        return files.exists(file) ? JsonLines.parse(files.readString(file), RunTiming.class, file.toString()) : List.of();
    }

    /**
     * Collects every run (each must be complete) and writes the results; returns them.
     *
     * @param plans   each run's pipeline plan (where its outputs are), in the experiment's order
     * @param command the command that ran the sweep
     */
    public ExperimentResults collect(Experiment experiment, List<PipelinePlan> plans, String command, String master) {
        List<ExperimentResults.RunResult> runs = files.writeStaged(layout.pictures(), true, picturesTmp -> {
            files.mkdirs(picturesTmp);
            List<ExperimentResults.RunResult> collected = new ArrayList<>();
            for (int i = 0; i < plans.size(); i++) {
                collected.add(collect(experiment.runs().get(i), plans.get(i), picturesTmp));
            }
            return collected;
        });
        ExperimentResults results = new ExperimentResults(experiment.name(), experiment.file(), experiment.description(),
                command, experiment.sets(), plans.get(0).root().toString(), master, Machine.current(),
                Provenance.currentGitCommit(), Instant.now().toString(), runs);
        files.writeBytesAtomically(layout.results(),
                ExperimentResults.toJson(results).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return results;
    }

    private ExperimentResults.RunResult collect(ExperimentRun run, PipelinePlan plan, Path pictures) {
        RunLayout runLayout = plan.layout();
        RunLayout.EvalFiles eval = runLayout.eval();
        files.requireComplete(eval.dir(), "evaluation of run " + run.name());
        DatasetManifest manifest = DatasetManifest.read(files, runLayout.dataset().dir());
        long trainExamples = manifest.splits().get("train").count();
        Path log = runLayout.trainingLog();
        List<EpochMetrics> training = EpochMetrics.parse(files.readString(log), log.toString());
        List<CheckpointCurve.Point> curve = files.exists(eval.curve())
                ? CheckpointCurve.parse(files.readString(eval.curve()), eval.curve().toString()) : List.of();
        EvalReport evalReport = EvalReport.read(files, eval.metrics());
        List<RunTiming> timings = timings(files, layout.timings(run.name()));

        // The pictures the report shows, by kind, each with its provenance sidecar.
        RunLayout.RenderFiles render = runLayout.render();
        files.requireComplete(render.dir(), "pictures of run " + run.name());
        Map<String, String> copied = new LinkedHashMap<>();
        for (Map.Entry<String, Path> kind : Map.of("manifold", render.manifold(), "reconstructions", render.reconstructions()).entrySet()
                .stream().sorted(Map.Entry.comparingByKey()).toList()) {
            Path png = kind.getValue();
            if (files.exists(png)) {
                Path copy = new Path(pictures, run.name() + "-" + png.getName());
                files.writeBytes(copy, files.readBytes(png));
                files.writeBytes(PictureWriter.sidecarOf(copy), files.readBytes(PictureWriter.sidecarOf(png)));
                copied.put(kind.getKey(), "pictures/" + copy.getName());
            }
        }
        int epochs = training.size();
        double trainSeconds = training.stream().mapToDouble(EpochMetrics::seconds).sum();
        return new ExperimentResults.RunResult(run.name(), run.label(), run.group(), run.config().data().dataset(), run.base(),
                run.overrides(), run.config().resolved(), trainExamples, epochs, epochs * trainExamples, training, curve, evalReport,
                trainSeconds, timings, copied);
    }
}

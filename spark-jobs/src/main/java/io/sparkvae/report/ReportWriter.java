package io.sparkvae.report;

import io.sparkvae.experiments.ExperimentResults;
import io.sparkvae.image.PictureWriter;
import io.sparkvae.io.BadInputException;
import io.sparkvae.io.HadoopFiles;
import io.sparkvae.job.StageLog;
import io.sparkvae.layout.RunLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;

/** Writes {@code REPRODUCTION.md} and its images from the sweeps' collected results, and nothing else. */
public final class ReportWriter {
    public static final String FILE = "REPRODUCTION.md";
    /** The shipped sweeps in the order the report shows them: the paper's figure first, the step-size choice last. */
    static final List<String> SHIPPED = List.of("latent-sizes", "activation-optimizer", "depth-vs-width", "adagrad-step");

    private ReportWriter() {}

    /**
     * Reads {@code names} (every experiment with results when empty, the shipped sweeps first) under {@code root} and
     * replaces {@code out}'s report and images with the new ones, once everything is read and drawn.
     *
     * @param command the command line that regenerates the report (the report lists it)
     */
    public static void write(String root, String out, List<String> names, String command) {
        HadoopFiles files = HadoopFiles.withDefaults();
        Path rootPath = files.path(root);
        List<String> experiments = names.isEmpty() ? found(files, rootPath) : names;
        List<ExperimentResults> results = new ArrayList<>();
        for (String name : experiments) {
            Path file = RunLayout.experiment(rootPath, name).results();
            files.requireFile(file, "results of experiment " + name + " (run scripts/experiments/run.sh " + name + " first)");
            results.add(ExperimentResults.parse(files.readString(file), file.toString()));
        }
        ReproductionReport.Output report = ReproductionReport.build(results, command);

        Map<String, byte[]> images = new LinkedHashMap<>();
        for (ReproductionReport.Picture p : report.pictures()) {
            Path dir = RunLayout.experiment(rootPath, p.experiment()).dir();
            images.put(p.name(), files.readBytes(new Path(dir, p.source())));
            // The sidecar carries the picture's provenance (config, seed, dataset hash, commit).
            images.put(PictureWriter.sidecarOf(new Path(p.name())).getName(), files.readBytes(PictureWriter.sidecarOf(new Path(dir, p.source()))));
        }

        // Everything is read and drawn above; only now is the old report replaced.
        HadoopFiles docs = HadoopFiles.withoutLocalChecksums();
        Path outDir = docs.path(out);
        Path imageDir = new Path(outDir, ReproductionReport.IMAGE_DIR);
        docs.delete(imageDir);
        docs.mkdirs(imageDir);
        images.forEach((name, bytes) -> docs.writeBytes(new Path(imageDir, name), bytes));
        PictureWriter charts = new PictureWriter(docs);
        report.charts().forEach((name, c) -> charts.write(new Path(imageDir, name), c.png(), c.description(), c.provenance()));
        docs.writeBytesAtomically(new Path(outDir, FILE), report.markdown().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        StageLog.info("report: wrote " + new Path(outDir, FILE) + " and " + report.charts().size() + " charts and "
                + report.pictures().size() + " pictures under " + imageDir + " from " + results.size() + " experiments");
    }

    private static List<String> found(HadoopFiles files, Path root) {
        Path dir = RunLayout.experiments(root);
        List<String> out = Arrays.stream(files.list(dir)).filter(FileStatus::isDirectory)
                .filter(s -> files.exists(RunLayout.experiment(root, s.getPath().getName()).results()))
                .map(s -> s.getPath().getName())
                .sorted(Comparator.comparing((String n) -> SHIPPED.contains(n) ? SHIPPED.indexOf(n) : SHIPPED.size())
                        .thenComparing(Comparator.naturalOrder()))
                .toList();
        if (out.isEmpty()) {
            throw new BadInputException("no experiment results under " + dir + " (run scripts/experiments/run.sh <name> first)");
        }
        return out;
    }
}

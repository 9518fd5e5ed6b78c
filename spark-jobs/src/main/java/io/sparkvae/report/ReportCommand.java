package io.sparkvae.report;

import io.sparkvae.experiments.ExperimentResults;
import io.sparkvae.experiments.ResultsCollector;
import io.sparkvae.image.PictureWriter;
import io.sparkvae.io.BadInputException;
import io.sparkvae.io.HadoopFiles;
import io.sparkvae.stages.StageLog;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vae report}: writes {@code REPRODUCTION.md} and its images from the sweeps' results. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Generate <out>/REPRODUCTION.md and <out>/" + ReproductionReport.IMAGE_DIR + "/",
                "(replaced whole) from <root>/experiments/<name>/results.json, written by",
                "'vae experiment', and nothing else. Without names: every experiment with",
                "results, the shipped sweeps first (latent-sizes, activation-optimizer,",
                "depth-vs-width, adagrad-step), then the others by name."})
public final class ReportCommand implements Callable<Integer> {
    public static final String FILE = "REPRODUCTION.md";
    /** The shipped sweeps in the order the report shows them: the paper's figure first, the step-size choice last. */
    static final List<String> SHIPPED = List.of("latent-sizes", "activation-optimizer", "depth-vs-width", "adagrad-step");

    @Parameters(paramLabel = "NAME", arity = "0..*", description = "Experiments to report, in this order.")
    List<String> names = new ArrayList<>();

    @Option(names = "--root", paramLabel = "URI", defaultValue = "work", description = "Output root of the experiments. Default: ${DEFAULT-VALUE}")
    String root;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "docs", description = "Where the report goes. Default: ${DEFAULT-VALUE}")
    String out;

    @Override
    public Integer call() {
        HadoopFiles files = HadoopFiles.withDefaults();
        Path rootPath = files.path(root);
        List<String> experiments = names.isEmpty() ? found(files, rootPath) : names;
        List<ExperimentResults> results = new ArrayList<>();
        for (String name : experiments) {
            Path file = new Path(ResultsCollector.dir(rootPath, name), ExperimentResults.FILE);
            files.requireFile(file, "results of experiment " + name + " (run scripts/experiments/run.sh " + name + " first)");
            results.add(ExperimentResults.parse(files.readString(file), file.toString()));
        }
        ReproductionReport.Output report = ReproductionReport.build(results, command());

        Map<String, byte[]> images = new LinkedHashMap<>();
        for (ReproductionReport.Picture p : report.pictures()) {
            Path dir = ResultsCollector.dir(rootPath, p.experiment());
            images.put(p.name(), files.readBytes(new Path(dir, p.source())));
            // The sidecar carries the picture's provenance (config, seed, dataset hash, commit).
            images.put(p.name().replaceFirst("\\.png$", ".json"), files.readBytes(new Path(dir, p.source().replaceFirst("\\.png$", ".json"))));
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
        return 0;
    }

    private static List<String> found(HadoopFiles files, Path root) {
        Path dir = new Path(root, "experiments");
        List<String> out = Arrays.stream(files.list(dir)).filter(FileStatus::isDirectory)
                .filter(s -> files.exists(new Path(s.getPath(), ExperimentResults.FILE)))
                .map(s -> s.getPath().getName())
                .sorted(Comparator.comparing((String n) -> SHIPPED.contains(n) ? SHIPPED.indexOf(n) : SHIPPED.size())
                        .thenComparing(Comparator.naturalOrder()))
                .toList();
        if (out.isEmpty()) {
            throw new BadInputException("no experiment results under " + dir + " (run scripts/experiments/run.sh <name> first)");
        }
        return out;
    }

    /** This invocation as the wrapper script's command line. */
    private String command() {
        StringBuilder sb = new StringBuilder("scripts/experiments/report.sh");
        if (!root.equals("work")) {
            sb.append(" --root ").append(root);
        }
        if (!out.equals("docs")) {
            sb.append(" --out ").append(out);
        }
        names.forEach(n -> sb.append(' ').append(n));
        return sb.toString();
    }
}

package io.sparkvae.cli;

import io.sparkvae.report.ReportWriter;
import io.sparkvae.report.ReproductionReport;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vae report}: writes {@code REPRODUCTION.md} and its images from the sweeps' results. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Generate <out>/" + ReportWriter.FILE + " and <out>/" + ReproductionReport.IMAGE_DIR + "/",
                "(replaced whole) from <root>/experiments/<name>/results.json, written by",
                "'vae experiment', and nothing else. Without names: every experiment with",
                "results, the shipped sweeps first (latent-sizes, activation-optimizer,",
                "depth-vs-width, adagrad-step), then the others by name."})
final class ReportCommand implements Callable<Integer> {
    @Parameters(paramLabel = "NAME", arity = "0..*", description = "Experiments to report, in this order.")
    List<String> names = new ArrayList<>();

    @Option(names = "--root", paramLabel = "URI", defaultValue = "work", description = "Output root of the experiments. Default: ${DEFAULT-VALUE}")
    String root;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "docs", description = "Where the report goes. Default: ${DEFAULT-VALUE}")
    String out;

    @Override
    public Integer call() {
        ReportWriter.write(root, out, names, command());
        return 0;
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

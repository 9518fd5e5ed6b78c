package io.sparkvae.cli;

import io.sparkvae.io.Json;
import io.sparkvae.job.Failures;
import io.sparkvae.job.StageContext;
import io.sparkvae.layout.StageDescriptor;
import io.sparkvae.stages.StageCatalog;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** The stage commands: each parses its options and runs its stage alone, in its own Spark application. */
final class StageCommands {
    private StageCommands() {}

    /** What every stage command does once its options are parsed. */
    abstract static class StageCommand implements Callable<Integer> {
        @Mixin
        StageOptions options;

        @Spec
        CommandSpec spec;

        /** Whether train continues an interrupted training ({@code --resume}); only train has the option. */
        boolean resume() {
            return false;
        }

        /** Config overrides the command's own arguments stand for, applied after every {@code --set}. */
        List<String> overrides() {
            return List.of();
        }

        @Override
        public Integer call() {
            StageDescriptor stage = StageDescriptor.named(spec.name())
                    .orElseThrow(() -> new IllegalStateException("no stage is named " + spec.name()));
            options.overrides.addAll(overrides());
            try (StageContext ctx = StageContext.standalone(options.toJob(), stage)) {
                ctx.run(stage, StageCatalog.stage(stage, resume()));
            }
            return Failures.EXIT_OK;
        }
    }

    @Command(name = StageDescriptor.Names.PREPARE, mixinStandardHelpOptions = true,
            description = {"Slice the raw data set into partitioned train/val/test Parquet under <root>/datasets/<dataset>/,",
                    "with manifest.json, preview-<split>.png contact sheets and _SUCCESS (written last)."})
    static final class Prepare extends StageCommand {
    }

    @Command(name = StageDescriptor.Names.TRAIN, mixinStandardHelpOptions = true,
            description = {"Train the VAE on the prepared train split with parameter averaging across executors.",
                    "Writes <root>/runs/<run>/model/ (checkpoints/epoch-NNN after every epoch, the final model, then _SUCCESS)",
                    "and <root>/runs/<run>/metrics.jsonl (one JSON object per epoch)."})
    static final class Train extends StageCommand {
        @Option(names = "--resume", description = "Continue from the newest complete checkpoint (start fresh if there is none).")
        boolean resume;

        @Override
        boolean resume() {
            return resume;
        }
    }

    @Command(name = StageDescriptor.Names.EVALUATE, mixinStandardHelpOptions = true,
            description = {"Score the test split on the executors: -ELBO (and its parts) and importance-sampled log p(x).",
                    "Reads <root>/runs/<run>/model; writes <root>/runs/<run>/eval/ (metrics.json, per_example.parquet, _SUCCESS)."})
    static final class Evaluate extends StageCommand {
    }

    @Command(name = StageDescriptor.Names.RENDER, mixinStandardHelpOptions = true,
            description = {"Pictures: reconstructions, the 2-D manifold, prior samples, latent scatter, training curve.",
                    "Reads <root>/runs/<run>/model and metrics.jsonl; writes <root>/runs/<run>/render/ (PNG + sidecar JSON each)."})
    static final class Render extends StageCommand {
    }

    @Command(name = StageDescriptor.Names.ENCODE, mixinStandardHelpOptions = true,
            description = {"Score a split (encode.split, default test) or another Parquet folder (encode.input) with the trained model",
                    "on the executors: per row its latent mean and log-variance, -ELBO and (encode.is-samples > 0) log-likelihood.",
                    "Reads <root>/runs/<run>/model; writes <root>/runs/<run>/encode/<name>/ (Parquet, _encode.json, _SUCCESS)."})
    static final class Encode extends StageCommand {
    }

    @Command(name = StageDescriptor.Names.SCORE, mixinStandardHelpOptions = true,
            description = {"Score image files with the trained model, without a prepare step: each file decoded, converted and",
                    "resized by the rules of the run's dataset manifest, scored on the executors (latent mean and log-variance,",
                    "-ELBO and the model's other scores). Reads <root>/runs/<run>/model and the dataset's manifest; writes",
                    "<root>/runs/<run>/score/<name>/ (scores.parquet, scores.csv, summary.json, most-unusual.png, _SUCCESS)."})
    static final class Score extends StageCommand {
        @Parameters(paramLabel = "PATH", arity = "0..*",
                description = "Folders, Hadoop globs or files (local paths or URIs) to score; sets score.input.")
        List<String> inputs = List.of();

        @Override
        List<String> overrides() {
            return inputs.isEmpty() ? List.of() : List.of("score.input=" + Json.writeLine(inputs));
        }

    }

    @Command(name = StageDescriptor.Names.GENERATE, mixinStandardHelpOptions = true,
            description = {"Draw generate.samples seeded samples from the prior and decode them on the executors.",
                    "Reads <root>/runs/<run>/model; writes <root>/runs/<run>/generate/ (samples.parquet, samples.png + sidecar,",
                    "with generate.images = true also images/sample-NNNNNN.png, then _SUCCESS)."})
    static final class Generate extends StageCommand {
    }

    @Command(name = StageDescriptor.Names.EXPORT, mixinStandardHelpOptions = true,
            description = {"Write the trained model as ONNX graphs for ONNX Runtime and other tools outside the JVM:",
                    "encoder.onnx (pixels [N, D] -> latent_mean, latent_log_var [N, nz]), decoder.onnx (z -> pixel means)",
                    "and model.json (image layout, provenance). Reads <root>/runs/<run>/model; writes <root>/runs/<run>/export/."})
    static final class Export extends StageCommand {
    }

    @Command(name = StageDescriptor.Names.PAGE, mixinStandardHelpOptions = true,
            description = {"The run's page: one self-contained HTML file (opens from the file system, no network) with the config,",
                    "provenance, test metrics, training curves, pictures, unusual examples, stage times and a latent explorer",
                    "whose decoder runs in the browser. Reads the run's model, test split and the other stages' outputs;",
                    "writes <root>/runs/<run>/report/ (index.html, page.json, _SUCCESS)."})
    static final class Page extends StageCommand {
    }
}

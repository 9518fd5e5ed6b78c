package io.sparkvae.cli;

import io.sparkvae.job.Failures;
import io.sparkvae.job.Stage;
import io.sparkvae.job.StageContext;
import io.sparkvae.stages.EncodeStage;
import io.sparkvae.stages.EvaluateStage;
import io.sparkvae.stages.GenerateStage;
import io.sparkvae.stages.PageStage;
import io.sparkvae.stages.PrepareStage;
import io.sparkvae.stages.RenderStage;
import io.sparkvae.stages.TrainStage;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
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

        abstract Stage stage();

        @Override
        public Integer call() {
            try (StageContext ctx = StageContext.standalone(options.toJob(), spec.name())) {
                ctx.run(spec.name(), stage());
            }
            return Failures.EXIT_OK;
        }
    }

    @Command(name = PrepareStage.NAME, mixinStandardHelpOptions = true,
            description = {"Slice the raw data set into partitioned train/val/test Parquet under <root>/datasets/<dataset>/,",
                    "with manifest.json, preview-<split>.png contact sheets and _SUCCESS (written last)."})
    static final class Prepare extends StageCommand {
        @Override
        Stage stage() {
            return new PrepareStage();
        }
    }

    @Command(name = TrainStage.NAME, mixinStandardHelpOptions = true,
            description = {"Train the VAE on the prepared train split with parameter averaging across executors.",
                    "Writes <root>/runs/<run>/model/ (checkpoints/epoch-NNN after every epoch, the final model, then _SUCCESS)",
                    "and <root>/runs/<run>/metrics.jsonl (one JSON object per epoch)."})
    static final class Train extends StageCommand {
        @Option(names = "--resume", description = "Continue from the newest complete checkpoint (start fresh if there is none).")
        boolean resume;

        @Override
        Stage stage() {
            return new TrainStage(resume);
        }
    }

    @Command(name = EvaluateStage.NAME, mixinStandardHelpOptions = true,
            description = {"Score the test split on the executors: -ELBO (and its parts) and importance-sampled log p(x).",
                    "Reads <root>/runs/<run>/model; writes <root>/runs/<run>/eval/ (metrics.json, per_example.parquet, _SUCCESS)."})
    static final class Evaluate extends StageCommand {
        @Override
        Stage stage() {
            return new EvaluateStage();
        }
    }

    @Command(name = RenderStage.NAME, mixinStandardHelpOptions = true,
            description = {"Pictures: reconstructions, the 2-D manifold, prior samples, latent scatter, training curve.",
                    "Reads <root>/runs/<run>/model and metrics.jsonl; writes <root>/runs/<run>/render/ (PNG + sidecar JSON each)."})
    static final class Render extends StageCommand {
        @Override
        Stage stage() {
            return new RenderStage();
        }
    }

    @Command(name = EncodeStage.NAME, mixinStandardHelpOptions = true,
            description = {"Score a split (encode.split, default test) or another Parquet folder (encode.input) with the trained model",
                    "on the executors: per row its latent mean and log-variance, -ELBO and (encode.is-samples > 0) log-likelihood.",
                    "Reads <root>/runs/<run>/model; writes <root>/runs/<run>/encode/<name>/ (Parquet, _encode.json, _SUCCESS)."})
    static final class Encode extends StageCommand {
        @Override
        Stage stage() {
            return new EncodeStage();
        }
    }

    @Command(name = GenerateStage.NAME, mixinStandardHelpOptions = true,
            description = {"Draw generate.samples seeded samples from the prior and decode them on the executors.",
                    "Reads <root>/runs/<run>/model; writes <root>/runs/<run>/generate/ (samples.parquet, samples.png + sidecar,",
                    "with generate.images = true also images/sample-NNNNNN.png, then _SUCCESS)."})
    static final class Generate extends StageCommand {
        @Override
        Stage stage() {
            return new GenerateStage();
        }
    }

    @Command(name = PageStage.NAME, mixinStandardHelpOptions = true,
            description = {"The run's page: one self-contained HTML file (opens from the file system, no network) with the config,",
                    "provenance, test metrics, training curves, pictures, unusual examples, stage times and a latent explorer",
                    "whose decoder runs in the browser. Reads the run's model, test split and the other stages' outputs;",
                    "writes <root>/runs/<run>/report/ (index.html, page.json, _SUCCESS)."})
    static final class Page extends StageCommand {
        @Override
        Stage stage() {
            return new PageStage();
        }
    }
}

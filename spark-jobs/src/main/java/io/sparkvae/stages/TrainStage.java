package io.sparkvae.stages;

import io.sparkvae.dataset.DatasetManifest;
import io.sparkvae.dataset.DatasetReader;
import io.sparkvae.provenance.Provenance;
import io.sparkvae.train.ProgressLine;
import io.sparkvae.train.SparkTrainer;
import java.util.concurrent.Callable;
import org.apache.hadoop.fs.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code vae train}: trains the VAE on Spark with dl4j-spark parameter averaging across executors. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train the VAE on the prepared train split with parameter averaging across executors.",
                "Writes <root>/runs/<run>/model/ (checkpoints/epoch-NNN after every epoch, the final model, then _SUCCESS)",
                "and <root>/runs/<run>/metrics.jsonl (one JSON object per epoch)."})
public final class TrainStage implements Callable<Integer> {
    @Mixin
    StageOptions options;

    @Option(names = "--resume", description = "Continue from the newest complete checkpoint (start fresh if there is none).")
    boolean resume;

    @Override
    public Integer call() {
        try (StageContext ctx = StageContext.open(options)) {
            Path modelDir = new Path(ctx.runDir(), "model");
            if (ctx.skipOrLock("train", modelDir)) {
                return 0;
            }
            DatasetReader reader = new DatasetReader(ctx.spark("train"), ctx.files());
            DatasetManifest manifest = reader.open(ctx.datasetDir(), ctx.config().data());
            var train = reader.split(ctx.datasetDir(), manifest, "train");
            var val = reader.split(ctx.datasetDir(), manifest, "val");
            var t = ctx.config().train();
            StageLog.info("train: " + ctx.config().runName() + " on " + manifest.splits().get("train").count() + " "
                    + manifest.dataset() + " examples, " + t.epochs() + " epochs, " + t.workers() + " workers averaging every "
                    + t.averagingFrequency() + " minibatches of " + t.batchSize() + (resume ? " (resuming)" : ""));
            Provenance provenance = Provenance.of(ctx.config().runName(), ctx.config().resolved(), ctx.config().seed(), manifest.hash());
            double[] secondsSoFar = {0, 0};
            var result = new SparkTrainer(ctx.spark("train"), ctx.files(), ctx.config()).train(
                    train, val, manifest.shape().size(), ctx.runDir(), provenance, resume, m -> {
                        secondsSoFar[0] += m.seconds();
                        secondsSoFar[1]++;
                        StageLog.info(ProgressLine.format(m, t.epochs(), secondsSoFar[0] / secondsSoFar[1]));
                    });
            StageLog.info("train: wrote " + modelDir + " (final -ELBO train "
                    + String.format(java.util.Locale.ROOT, "%.2f", result.history().get(result.history().size() - 1).trainNegElbo())
                    + ", val " + String.format(java.util.Locale.ROOT, "%.2f", result.history().get(result.history().size() - 1).valNegElbo()) + ")");
            return 0;
        }
    }
}

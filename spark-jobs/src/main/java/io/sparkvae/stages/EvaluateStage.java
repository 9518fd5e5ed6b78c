package io.sparkvae.stages;

import io.sparkvae.config.JobConfig;
import io.sparkvae.dataset.DatasetManifest;
import io.sparkvae.dataset.DatasetReader;
import io.sparkvae.evaluate.EvalMetrics;
import io.sparkvae.evaluate.Evaluation;
import io.sparkvae.evaluate.RunModel;
import io.sparkvae.evaluate.ScoredSplit;
import io.sparkvae.evaluate.ScoringSettings;
import io.sparkvae.evaluate.TestCurve;
import io.sparkvae.evaluate.TestSetScorer;
import io.sparkvae.io.BadInputException;
import io.sparkvae.model.LoadedVae;
import io.sparkvae.provenance.Provenance;
import io.sparkvae.train.Checkpoints;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code vae evaluate}: Score the test split: -ELBO (and its parts) and importance-sampled log p(x). */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"Score the test split on the executors: -ELBO (and its parts) and importance-sampled log p(x).",
                "Reads <root>/runs/<run>/model; writes <root>/runs/<run>/eval/ (metrics.json, per_example.parquet, _SUCCESS)."})
public final class EvaluateStage implements Callable<Integer> {
    @Mixin
    StageOptions options;

    @Override
    public Integer call() {
        try (StageContext ctx = StageContext.open(options)) {
            JobConfig config = ctx.config();
            Path target = new Path(ctx.runDir(), Evaluation.DIR);
            if (ctx.skipOrLock("evaluate", target)) {
                return 0;
            }
            ScoringSettings settings = new ScoringSettings(config.seed(), config.evaluate().elboSamples(),
                    config.evaluate().isSamples(), ScoringSettings.DEFAULT_BLOCK_SIZE);
            LoadedVae model = RunModel.load(ctx.runDir(), ctx.files());
            SparkSession spark = ctx.spark("evaluate");
            DatasetReader reader = new DatasetReader(spark, ctx.files());
            DatasetManifest manifest = reader.open(ctx.datasetDir(), config.data());
            RunModel.requireFits(model, manifest, ctx.runDir(), ctx.datasetDir());
            Dataset<Row> test = reader.split(ctx.datasetDir(), manifest, "test");
            String note = RunModel.datasetNote(model, manifest, ctx.datasetDir());
            if (note != null) {
                StageLog.info("evaluate: " + note);
            }
            int count = manifest.splits().get("test").count();
            int partitions = TestSetScorer.partitionsFor(count, settings.blockSize(), config.data().partitions(),
                    spark.sparkContext().defaultParallelism());
            StageLog.info(String.format(Locale.ROOT, "evaluate: scoring %d test examples of %s (K=%d importance samples, "
                    + "%d eps samples) in %d tasks", count, ctx.datasetDir(), settings.isSamples(), settings.elboSamples(), partitions));

            long start = System.nanoTime();
            Provenance provenance = Provenance.of(config.runName(), config.resolved(), config.seed(), manifest.hash());
            EvalMetrics metrics;
            double seconds;
            try (ScoredSplit scored = TestSetScorer.score(spark, test, model.vae(), settings, partitions)) {
                metrics = scored.metrics();
                seconds = (System.nanoTime() - start) / 1e9;
                List<TestCurve.Point> curve = config.evaluate().curve()
                        ? curve(ctx, spark, test, manifest.splits().get("train").count(), settings, partitions) : null;
                new Evaluation(ctx.files()).commit(target,
                        Evaluation.metricsJson(metrics, settings, model, RunModel.dir(ctx.runDir()).toString(), provenance),
                        scored, curve, ctx.overwrite());
            }
            StageLog.info(String.format(Locale.ROOT, "evaluate: wrote %s: %d examples, -ELBO %.3f (reconstruction %.3f + KL %.3f), "
                            + "IS log p(x) %.3f (%.3f nats above the ELBO) in %.1f s", target, metrics.examples(), metrics.negElbo(),
                    metrics.reconstruction(), metrics.kl(), metrics.logLikelihoodIs(), metrics.isGap(), seconds));
            return 0;
        }
    }

    /** The test -ELBO of every kept checkpoint (evaluate.curve), saying so per point and when epochs are missing. */
    private static List<TestCurve.Point> curve(StageContext ctx, SparkSession spark, Dataset<Row> test, long trainExamples,
                                               ScoringSettings settings, int partitions) {
        Checkpoints checkpoints = new Checkpoints(ctx.files(), RunModel.dir(ctx.runDir()), 0);
        List<Integer> epochs = checkpoints.epochs();
        if (epochs.isEmpty()) {
            throw new BadInputException("evaluate.curve: no checkpoints under " + checkpoints.dir(1).getParent()
                    + " (train with train.keep-checkpoints = 0 to keep one per epoch)");
        }
        if (epochs.size() < epochs.get(epochs.size() - 1)) {
            StageLog.info("evaluate: curve: only epochs " + epochs + " have checkpoints (train.keep-checkpoints = 0 keeps all)");
        }
        long start = System.nanoTime();
        List<TestCurve.Point> points = TestCurve.score(spark, test, checkpoints, ctx.files(), trainExamples, settings, partitions);
        for (TestCurve.Point p : points) {
            StageLog.info(String.format(Locale.ROOT, "evaluate: curve: epoch %d (%,d examples seen): test -ELBO %.3f",
                    p.epoch(), p.examplesSeen(), p.testNegElbo()));
        }
        StageLog.info(String.format(Locale.ROOT, "evaluate: curve: %d checkpoints scored in %.1f s", points.size(),
                (System.nanoTime() - start) / 1e9));
        return points;
    }
}

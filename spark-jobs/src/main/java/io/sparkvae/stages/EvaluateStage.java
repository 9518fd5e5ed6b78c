package io.sparkvae.stages;

import io.sparkvae.config.JobConfig;
import io.sparkvae.dataset.DatasetManifest;
import io.sparkvae.evaluate.CheckpointCurve;
import io.sparkvae.evaluate.EvalMetrics;
import io.sparkvae.evaluate.EvalReport;
import io.sparkvae.evaluate.Evaluation;
import io.sparkvae.evaluate.ScoredSplit;
import io.sparkvae.evaluate.SplitScorer;
import io.sparkvae.io.BadInputException;
import io.sparkvae.job.InputVersions;
import io.sparkvae.job.Stage;
import io.sparkvae.job.StageContext;
import io.sparkvae.job.StageLog;
import io.sparkvae.layout.RunLayout;
import io.sparkvae.model.LoadedVae;
import io.sparkvae.provenance.Provenance;
import io.sparkvae.scoring.ScoringSettings;
import io.sparkvae.scoring.SplitBlocks;
import io.sparkvae.spark.JobLabels;
import io.sparkvae.train.Checkpoints;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** {@code evaluate}: scores the test split on the executors: -ELBO (and its parts) and importance-sampled log p(x). */
public final class EvaluateStage implements Stage {
    @Override
    public void run(StageContext ctx) {
        JobConfig config = ctx.config();
        RunLayout layout = ctx.layout();
        RunLayout.EvalFiles target = layout.eval();
        if (ctx.skipOrLock(target.dir())) {
            return;
        }
        ScoringSettings settings = ScoringSettings.of(config.seed(), config.evaluate().elboSamples(), config.evaluate().isSamples());
        TrainedRun run = TrainedRun.open(ctx, "test");
        LoadedVae model = run.model();
        DatasetManifest manifest = run.manifest();
        Dataset<Row> test = run.split();
        SparkSession spark = ctx.spark();
        Path datasetDir = layout.dataset().dir();
        int count = manifest.splits().get("test").count();
        int partitions = SplitBlocks.partitionsFor(count, settings.blockSize(), config.data().partitions(),
                spark.sparkContext().defaultParallelism());
        StageLog.info(String.format(Locale.ROOT, "evaluate: scoring %d test examples of %s (K=%d importance samples, "
                + "%d eps samples) in %d tasks", count, datasetDir, settings.isSamples(), settings.elboSamples(), partitions));

        ctx.progress("examples scored", count);
        JobLabels.describe(spark.sparkContext(), "importance sampling K=" + settings.isSamples() + " on " + count + " test examples");
        long start = System.nanoTime();
        Provenance provenance = Provenance.of(config.runName(), config.resolved(), config.seed(), manifest.hash())
                .withModelSha256(model.provenance().modelSha256());
        // Committing requires the dataset and model read to be still the current ones.
        ctx.recordInputs(new InputVersions.Read(provenance.datasetSha256(), provenance.modelSha256()));
        EvalMetrics metrics;
        double seconds;
        try (ScoredSplit scored = SplitScorer.score(spark, test, model.vae(), settings, partitions)) {
            metrics = scored.metrics();
            seconds = (System.nanoTime() - start) / 1e9;
            List<CheckpointCurve.Point> curve = config.evaluate().curve()
                    ? curve(ctx, spark, test, manifest.splits().get("train").count(), settings, partitions) : null;
            JobLabels.describe(spark.sparkContext(), "write per-example scores");
            new Evaluation(ctx.files()).commit(target, EvalReport.of(metrics, settings, model, layout.model(), provenance),
                    scored, curve, ctx.overwrite());
        }
        ctx.record("examples", metrics.examples());
        ctx.record("test_neg_elbo", metrics.negElbo());
        ctx.record("test_log_likelihood_is", metrics.logLikelihoodIs());
        StageLog.info(String.format(Locale.ROOT, "evaluate: wrote %s: %d examples, -ELBO %.3f (reconstruction %.3f + KL %.3f), "
                        + "IS log p(x) %.3f (%.3f nats above the ELBO) in %.1f s", target.dir(), metrics.examples(), metrics.negElbo(),
                metrics.reconstruction(), metrics.kl(), metrics.logLikelihoodIs(), metrics.isGap(), seconds));
    }

    /** The test -ELBO of every kept checkpoint (evaluate.curve), saying so per point and when epochs are missing. */
    private static List<CheckpointCurve.Point> curve(StageContext ctx, SparkSession spark, Dataset<Row> test, long trainExamples,
                                                     ScoringSettings settings, int partitions) {
        Checkpoints checkpoints = new Checkpoints(ctx.files(), ctx.layout().checkpoints(), 0);
        List<Integer> epochs = checkpoints.epochs();
        if (epochs.isEmpty()) {
            throw new BadInputException("evaluate.curve: no checkpoints under " + ctx.layout().checkpoints()
                    + " (train with train.keep-checkpoints = 0 to keep one per epoch)");
        }
        if (epochs.size() < epochs.get(epochs.size() - 1)) {
            StageLog.info("evaluate: curve: only epochs " + epochs + " have checkpoints (train.keep-checkpoints = 0 keeps all)");
        }
        ctx.progress("checkpoint examples scored", (long) epochs.size() * test.count());
        JobLabels.describe(spark.sparkContext(), "curve: test -ELBO of " + epochs.size() + " checkpoints");
        long start = System.nanoTime();
        List<CheckpointCurve.Point> points = CheckpointCurve.score(spark, test, checkpoints, ctx.files(), trainExamples, settings, partitions);
        for (CheckpointCurve.Point p : points) {
            StageLog.info(String.format(Locale.ROOT, "evaluate: curve: epoch %d (%,d examples seen): test -ELBO %.3f",
                    p.epoch(), p.examplesSeen(), p.testNegElbo()));
        }
        StageLog.info(String.format(Locale.ROOT, "evaluate: curve: %d checkpoints scored in %.1f s", points.size(),
                (System.nanoTime() - start) / 1e9));
        return points;
    }
}

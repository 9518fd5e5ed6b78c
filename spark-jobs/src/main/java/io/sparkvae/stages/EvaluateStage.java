package io.sparkvae.stages;

import io.sparkvae.config.JobConfig;
import io.sparkvae.dataset.DatasetManifest;
import io.sparkvae.dataset.DatasetReader;
import io.sparkvae.evaluate.EvalMetrics;
import io.sparkvae.evaluate.Evaluation;
import io.sparkvae.evaluate.RunModel;
import io.sparkvae.evaluate.ScoredSplit;
import io.sparkvae.evaluate.ScoringSettings;
import io.sparkvae.evaluate.TestSetScorer;
import io.sparkvae.model.LoadedVae;
import io.sparkvae.provenance.Provenance;
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
            if (ctx.skipComplete("evaluate", target)) {
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
            try (ScoredSplit scored = TestSetScorer.score(spark, test, model.vae(), settings, partitions)) {
                metrics = scored.metrics();
                new Evaluation(ctx.files()).commit(target,
                        Evaluation.metricsJson(metrics, settings, model, RunModel.dir(ctx.runDir()).toString(), provenance),
                        scored, ctx.overwrite());
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            StageLog.info(String.format(Locale.ROOT, "evaluate: wrote %s: %d examples, -ELBO %.3f (reconstruction %.3f + KL %.3f), "
                            + "IS log p(x) %.3f (%.3f nats above the ELBO) in %.1f s", target, metrics.examples(), metrics.negElbo(),
                    metrics.reconstruction(), metrics.kl(), metrics.logLikelihoodIs(), metrics.isGap(), seconds));
            return 0;
        }
    }
}

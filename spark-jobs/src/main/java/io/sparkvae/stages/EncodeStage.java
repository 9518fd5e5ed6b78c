package io.sparkvae.stages;

import io.sparkvae.spark.LiteralPaths;
import static org.apache.spark.sql.functions.col;

import io.sparkvae.config.JobConfig;
import io.sparkvae.data.ImageShape;
import io.sparkvae.evaluate.RunModel;
import io.sparkvae.io.BadInputException;
import io.sparkvae.io.HadoopFiles;
import io.sparkvae.io.Json;
import io.sparkvae.job.InputVersions;
import io.sparkvae.job.Stage;
import io.sparkvae.job.StageContext;
import io.sparkvae.job.StageLog;
import io.sparkvae.layout.RunLayout;
import io.sparkvae.ml.Encoding;
import io.sparkvae.model.LoadedVae;
import io.sparkvae.provenance.Provenance;
import io.sparkvae.model.AnomalyScore;
import io.sparkvae.scoring.ExactMean;
import io.sparkvae.spark.JobLabels;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code encode}: every example of a split (or of another Parquet folder) through the trained model, on the executors:
 * its latent posterior, -ELBO and optionally log-likelihood, as Parquet in {@code runs/<run>/encode/<name>/}.
 */
public final class EncodeStage implements Stage {
    /** Rows the stage's summary names as the most unusual by the configured score. */
    private static final int HIGHEST = 5;

    @Override
    public void run(StageContext ctx) {
        JobConfig config = ctx.config();
        HadoopFiles files = ctx.files();
        RunLayout layout = ctx.layout();
        RunLayout.EncodeFiles target = layout.encode();
        if (ctx.skipOrLock(target.dir())) {
            return;
        }
        JobConfig.Encode e = config.encode();
        Path source;
        LoadedVae model;
        Dataset<Row> input;
        ImageShape shape = null; // another Parquet folder: a square grey or RGB image of the model's size
        String datasetHash = null;
        long rows = 0; // unknown for another Parquet folder: the progress line counts without a percentage
        SparkSession spark;
        if (e.input().isEmpty()) {
            source = layout.dataset().split(e.split());
            TrainedRun run = TrainedRun.open(ctx, e.split());
            model = run.model();
            input = run.split();
            datasetHash = run.manifest().hash();
            shape = run.manifest().shape();
            rows = run.manifest().splits().get(e.split()).count();
            spark = ctx.spark();
        } else {
            model = RunModel.load(layout.model(), files);
            source = files.path(e.input());
            if (!files.isDirectory(source)) {
                throw new BadInputException("encode.input " + source + " is not a folder of Parquet files (not found)");
            }
            spark = ctx.spark();
            try {
                input = LiteralPaths.read(spark).parquet(source.toString());
            } catch (RuntimeException ex) {
                throw new BadInputException("encode.input " + source + ": not a Parquet folder (" + firstLine(ex) + ")", ex);
            }
        }
        String where = e.input().isEmpty() ? source.toString() : "encode.input " + source;
        JobConfig.Scores scores = config.scores();
        Dataset<Row> table = Encoding.table(spark, input, model, config.seed(), config.evaluate().elboSamples(), e.isSamples(),
                scores.columns(), shape, where);
        StageLog.info(String.format(Locale.ROOT, "encode: scoring %s with %s (K=%d importance samples)", source, layout.model(),
                e.isSamples()));

        long start = System.nanoTime();
        ctx.progress("examples encoded", rows);
        JobLabels.describe(spark.sparkContext(), "score " + (e.input().isEmpty() ? "the " + e.split() + " split" : "encode.input")
                + ", write latents and -ELBO");
        Provenance provenance = Provenance.of(config.runName(), config.resolved(), config.seed(), datasetHash)
                .withModelSha256(model.provenance().modelSha256());
        ctx.recordInputs(new InputVersions.Read(provenance.datasetSha256(), provenance.modelSha256()));
        // An output without _SUCCESS is a leftover of a crash between rename and marker: writeStaged replaces it.
        Map<String, Object> description = files.writeStaged(target.dir(), ctx.overwrite(), dir -> {
            RunLayout.EncodeFiles staged = target.stagedIn(dir);
            table.write().parquet(staged.dir().toString()); // by the executors, one file per task
            JobLabels.describe(spark.sparkContext(), "summarise the written table");
            // The staged folder's name starts with '.', and Spark warns that it ignores such a path ("All paths were
            // ignored") before reading it all the same: its Parquet files are named instead.
            String[] parts = java.util.Arrays.stream(files.list(staged.dir())).map(f -> f.getPath().toString())
                    .filter(p -> p.endsWith(".parquet")).toArray(String[]::new);
            Map<String, Object> d = describe(spark, parts, table.columns()[0], source, e, config, model, layout.model(), provenance);
            files.writeString(staged.description(), Json.write(d));
            return d;
        });
        StageLog.info(String.format(Locale.ROOT, "encode: wrote %s: %d rows, mean -ELBO %.3f in %.1f s; most unusual by %s: %s",
                target.dir(), description.get("rows"), (Double) description.get("mean_neg_elbo"),
                (System.nanoTime() - start) / 1e9, scores.rankBy().column(), description.get("most_unusual")));
    }

    /**
     * What was scored, how, and its headline numbers, read back from the written table (three columns only): the mean
     * -ELBO and the rows the configured score ranks most unusual.
     */
    private static Map<String, Object> describe(SparkSession spark, String[] parts, String key, Path source,
                                                JobConfig.Encode e, JobConfig config, LoadedVae model, Path modelDir,
                                                Provenance provenance) {
        AnomalyScore rankBy = config.scores().rankBy();
        Dataset<Row> all = LiteralPaths.read(spark).parquet(parts);
        Dataset<Row> written = all.select(key, Encoding.NEG_ELBO);
        long rows = written.count();
        double mean = ExactMean.of(written.select(Encoding.NEG_ELBO), rows);
        List<Map<String, Object>> highest = all.select(key, rankBy.column()).orderBy(col(rankBy.column()).desc(), col(key))
                .limit(HIGHEST).collectAsList().stream().map(r -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put(key, r.get(0));
                    m.put(rankBy.column(), r.getDouble(1));
                    return m;
                }).toList();
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("source", source.toString());
        d.put("split", e.input().isEmpty() ? e.split() : null);
        d.put("rows", rows);
        d.put("mean_neg_elbo", mean);
        d.put("scores", config.scores().columns().stream().sorted().map(AnomalyScore::column).toList());
        d.put("ranked_by", Map.of("score", rankBy.key(), "column", rankBy.column(), "meaning", rankBy.meaning(),
                "source", rankBy.source()));
        d.put("most_unusual", highest);
        d.put("elbo_samples", config.evaluate().elboSamples());
        d.put("is_samples", e.isSamples());
        d.put("seed", config.seed());
        d.put("model", model.vae().spec().toMap());
        d.put("model_dir", modelDir.toString());
        d.put("model_provenance", model.provenance());
        d.put("provenance", provenance);
        return d;
    }

    private static String firstLine(Throwable t) {
        String m = String.valueOf(t.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}

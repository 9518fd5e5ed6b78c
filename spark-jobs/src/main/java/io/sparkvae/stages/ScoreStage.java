package io.sparkvae.stages;

import io.sparkvae.config.JobConfig;
import io.sparkvae.data.ImageTarget;
import io.sparkvae.dataset.DatasetManifest;
import io.sparkvae.dataset.DatasetReader;
import io.sparkvae.dataset.ImageFileDecoder;
import io.sparkvae.dataset.ImageFileInputs;
import io.sparkvae.dataset.SourceDigest;
import io.sparkvae.evaluate.RunModel;
import io.sparkvae.io.HadoopFiles;
import io.sparkvae.io.Json;
import io.sparkvae.job.InputVersions;
import io.sparkvae.job.Stage;
import io.sparkvae.job.StageContext;
import io.sparkvae.job.StageLog;
import io.sparkvae.layout.RunLayout;
import io.sparkvae.model.LoadedVae;
import io.sparkvae.provenance.Provenance;
import io.sparkvae.score.FileScores;
import io.sparkvae.score.MostUnusual;
import io.sparkvae.score.MostUnusualPicture;
import io.sparkvae.score.ScoreTables;
import io.sparkvae.scoring.ExactMean;
import io.sparkvae.spark.JobLabels;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code score}: image files (folders, globs, files; score.input) through the trained model without a prepare step,
 * each decoded by the rules of the run's dataset manifest with prepare's code, scored through the one scoring path;
 * Parquet, CSV, a summary and a picture of the most unusual files in {@code runs/<run>/score/<name>/}. A command of
 * its own, not a pipeline stage.
 */
public final class ScoreStage implements Stage {
    @Override
    public void run(StageContext ctx) {
        JobConfig config = ctx.config();
        JobConfig.Score s = config.score();
        HadoopFiles files = ctx.files();
        RunLayout layout = ctx.layout();
        RunLayout.ScoreFiles target = layout.score();
        if (ctx.skipOrLock(target.dir())) {
            return;
        }
        LoadedVae model = RunModel.load(layout.model(), files);
        Path datasetDir = layout.dataset().dir();
        SparkSession spark = ctx.spark();
        DatasetManifest manifest = new DatasetReader(spark, files).open(datasetDir, config.data());
        RunModel.requireFits(model, manifest, layout.model(), datasetDir);
        String note = RunModel.datasetNote(model, manifest, datasetDir);
        if (note != null) {
            StageLog.info(ctx.stage() + ": " + note);
        }
        ImageTarget rules = manifest.imageTarget();
        Provenance provenance = Provenance.of(config.runName(), config.resolved(), config.seed(), manifest.hash())
                .withModelSha256(model.provenance().modelSha256());
        ctx.recordInputs(new InputVersions.Read(provenance.datasetSha256(), provenance.modelSha256()));
        StageLog.info(String.format(Locale.ROOT, "score: %s with %s, images brought to %dx%dx%d (resize %s) as %s was prepared",
                String.join(", ", s.inputs()), layout.model(), rules.width(), rules.height(), rules.channels(),
                rules.resize().configName(), datasetDir));
        long start = System.nanoTime();
        Map<String, Object> summary = files.writeStaged(target.dir(), ctx.overwrite(), dir -> {
            RunLayout.ScoreFiles staged = target.stagedIn(dir);
            Path scratch = new Path(dir, "decoded-files"); // each file decoded once, for the scores and the picture; deleted before the commit
            try {
                ctx.progress("files decoded", 0);
                JobLabels.describe(spark.sparkContext(), "list, read and decode the image files");
                ImageFileInputs.Decoded decoded = new ImageFileInputs(spark, files).read(s.inputs(), s.glob(),
                        new ImageFileDecoder(rules), s.skipBad(), "score.on-bad-image", "score.input", scratch, config.data().partitions());
                if (decoded.skipped() > 0) {
                    StageLog.info(String.format(Locale.ROOT, "score: skipped %d of %d files that could not be read (first: %s)",
                            decoded.skipped(), decoded.files(), decoded.skippedFirst().get(0)));
                }
                long scored = decoded.files() - decoded.skipped();
                ctx.progress("files scored", scored);
                JobLabels.describe(spark.sparkContext(), "score the files, write their scores");
                FileScores.Scored scores = FileScores.table(spark, decoded.images(), model, config.seed(),
                        config.evaluate().elboSamples());
                ScoreTables tables = new ScoreTables(spark, files);
                Dataset<Row> table = tables.parquet(scores.table(), staged.table());
                JobLabels.describe(spark.sparkContext(), "write the CSV file, summarise the scores");
                tables.csv(table, staged.csv());
                MostUnusual unusual = MostUnusual.of(scores, table, decoded.images(), ImageFileInputs.PIXELS, s.mostUnusual());
                MostUnusualPicture.write(files, staged.mostUnusual(), unusual, scores.negElbo(), model.vae(), manifest.shape(),
                        config.render().scale(), provenance);
                Map<String, Object> d = new LinkedHashMap<>();
                d.put("inputs", s.inputs());
                d.put("glob", s.glob());
                d.put("files", decoded.files());
                d.put("scored", scored);
                d.put("skipped", decoded.skipped());
                d.put("skipped_first", decoded.skippedFirst());
                d.put("on_bad_image", s.skipBad() ? "skip" : "fail");
                d.put("sources_sha256", decoded.sourceSha256());
                d.put("source_digest", SourceDigest.METHOD);
                d.put("image_rules", Map.of("width", rules.width(), "height", rules.height(), "channels", rules.channels(),
                        "resize", rules.resize().configName(), "background", String.format(Locale.ROOT, "#%06x", rules.background())));
                d.put("mean_neg_elbo", ExactMean.of(table.select(scores.negElbo()), scored));
                d.put("most_unusual", unusual.scores());
                d.put("elbo_samples", config.evaluate().elboSamples());
                d.put("seed", config.seed());
                d.put("model", model.vae().spec().toMap());
                d.put("model_dir", layout.model().toString());
                d.put("model_provenance", model.provenance());
                d.put("dataset_dir", datasetDir.toString());
                d.put("provenance", provenance);
                files.writeString(staged.summary(), Json.write(d));
                return d;
            } finally {
                files.deleteQuietly(scratch);
            }
        });
        ctx.record("files", summary.get("files"));
        ctx.record("scored", summary.get("scored"));
        ctx.record("skipped", summary.get("skipped"));
        StageLog.info(String.format(Locale.ROOT, "score: wrote %s: %d files scored, %d skipped, mean -ELBO %.3f in %.1f s",
                target.dir(), (Long) summary.get("scored"), (Long) summary.get("skipped"),
                (Double) summary.get("mean_neg_elbo"), (System.nanoTime() - start) / 1e9));
    }
}

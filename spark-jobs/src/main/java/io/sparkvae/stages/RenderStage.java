package io.sparkvae.stages;

import io.sparkvae.config.JobConfig;
import io.sparkvae.dataset.DatasetManifest;
import io.sparkvae.io.HadoopFiles;
import io.sparkvae.job.InputVersions;
import io.sparkvae.job.Stage;
import io.sparkvae.job.StageContext;
import io.sparkvae.job.StageLog;
import io.sparkvae.layout.RunLayout;
import io.sparkvae.model.EpochMetrics;
import io.sparkvae.model.LoadedVae;
import io.sparkvae.provenance.Provenance;
import io.sparkvae.render.LatentPoint;
import io.sparkvae.render.PictureBudget;
import io.sparkvae.render.RenderInputs;
import io.sparkvae.render.Renderer;
import io.sparkvae.render.RunPictures;
import io.sparkvae.scoring.ScoringSettings;
import io.sparkvae.scoring.SplitBlocks;
import io.sparkvae.spark.JobLabels;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code render}: reconstructions, the 2-D manifold, prior samples, latent scatter, the training curve, interpolations
 * between test examples and the test examples the model finds most unusual (highest -ELBO).
 */
public final class RenderStage implements Stage {
    @Override
    public void run(StageContext ctx) {
        JobConfig config = ctx.config();
        HadoopFiles files = ctx.files();
        RunLayout layout = ctx.layout();
        RunLayout.RenderFiles target = layout.render();
        if (ctx.skipOrLock(target.dir())) {
            return;
        }
        TrainedRun run = TrainedRun.open(ctx, "test");
        LoadedVae model = run.model();
        DatasetManifest manifest = run.manifest();
        Dataset<Row> test = run.split();
        Path logPath = layout.trainingLog();
        List<EpochMetrics> log = files.exists(logPath) ? EpochMetrics.parse(files.readString(logPath), logPath.toString()) : null;

        SparkSession spark = ctx.spark();

        int latent = model.vae().spec().latentSize();
        JobConfig.Render r = config.render();
        // Before any work: settings each in range can together make a picture no heap holds.
        PictureBudget.requireFits(PictureBudget.render(r, manifest.shape(), latent, manifest.splits().get("test").count()), r.scale(),
                Runtime.getRuntime().maxMemory());
        ctx.progress("examples encoded", manifest.splits().get("test").count());
        JobLabels.describe(spark.sparkContext(), "posterior means of the test split, pick examples");
        List<LatentPoint> means = latent == 2 ? RenderInputs.latentMeans(spark, test, model.vae()) : null;
        int partitions = SplitBlocks.partitionsFor(manifest.splits().get("test").count(), ScoringSettings.DEFAULT_BLOCK_SIZE,
                config.data().partitions(), spark.sparkContext().defaultParallelism());
        // Scored as the evaluate stage scores the test split (each -ELBO is that example's in eval/), ranked by the
        // configured anomaly score.
        ScoringSettings scoring = ScoringSettings.of(config.seed(), config.evaluate().elboSamples(), 0)
                .withScores(java.util.EnumSet.of(config.scores().rankBy()), manifest.shape());
        RunPictures pictures = new RunPictures(RenderInputs.pick(test, r.reconstructions(), config.seed()),
                RenderInputs.pairs(test, r.interpolations(), config.seed()),
                RenderInputs.outliers(spark, test, model.vae(), scoring, config.scores().rankBy(), r.outliers(), partitions), means, log,
                r.manifoldGrid(), r.samples(), config.seed());
        Integer epochs = log == null || log.isEmpty() ? null : log.stream().mapToInt(EpochMetrics::epoch).max().getAsInt();
        Provenance provenance = Provenance.of(config.runName(), config.resolved(), config.seed(), manifest.hash())
                .withModelSha256(model.provenance().modelSha256());
        // Committing requires the dataset and model read to be still the current ones.
        ctx.recordInputs(new InputVersions.Read(provenance.datasetSha256(), provenance.modelSha256()));
        Renderer renderer = new Renderer(files, model.vae(), manifest.shape(), r.scale(), config.runName(), epochs, provenance);

        List<String> notes = pictures.commit(renderer, files, target, ctx.overwrite(), latent);
        notes.forEach(n -> StageLog.info("render: " + n));
        String written = Arrays.stream(files.list(target.dir())).map(FileStatus::getPath).map(Path::getName)
                .filter(n -> n.endsWith(".png")).sorted().collect(Collectors.joining(", "));
        ctx.record("pictures", written.isEmpty() ? 0 : written.split(", ").length);
        StageLog.info("render: wrote " + target.dir() + ": " + written);
    }
}

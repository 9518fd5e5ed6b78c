package io.sparkvae.stages;

import io.sparkvae.config.JobConfig;
import io.sparkvae.dataset.DatasetManifest;
import io.sparkvae.dataset.DatasetReader;
import io.sparkvae.evaluate.RunModel;
import io.sparkvae.io.HadoopFiles;
import io.sparkvae.model.LoadedVae;
import io.sparkvae.provenance.Provenance;
import io.sparkvae.render.LatentPoint;
import io.sparkvae.render.Renderer;
import io.sparkvae.render.RunPictures;
import io.sparkvae.render.TestSplitData;
import io.sparkvae.train.EpochMetrics;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code vae render}: Pictures: reconstructions, the 2-D manifold, prior samples, latent scatter, training curve. */
@Command(name = "render", mixinStandardHelpOptions = true,
        description = {"Pictures: reconstructions, the 2-D manifold, prior samples, latent scatter, training curve.",
                "Reads <root>/runs/<run>/model and metrics.jsonl; writes <root>/runs/<run>/render/ (PNG + sidecar JSON each)."})
public final class RenderStage implements Callable<Integer> {

    @Mixin
    StageOptions options;

    @Override
    public Integer call() {
        try (StageContext ctx = StageContext.open(options)) {
            JobConfig config = ctx.config();
            HadoopFiles files = ctx.files();
            Path target = new Path(ctx.runDir(), RunPictures.DIR);
            if (ctx.skipOrLock("render", target)) {
                return 0;
            }
            LoadedVae model = RunModel.load(ctx.runDir(), files);
            Path logPath = new Path(ctx.runDir(), EpochMetrics.FILE);
            List<EpochMetrics> log = files.exists(logPath) ? EpochMetrics.parse(files.readString(logPath), logPath.toString()) : null;

            SparkSession spark = ctx.spark("render");
            DatasetReader reader = new DatasetReader(spark, files);
            DatasetManifest manifest = reader.open(ctx.datasetDir(), config.data());
            RunModel.requireFits(model, manifest, ctx.runDir(), ctx.datasetDir());
            Dataset<Row> test = reader.split(ctx.datasetDir(), manifest, "test");
            String note = RunModel.datasetNote(model, manifest, ctx.datasetDir());
            if (note != null) {
                StageLog.info("render: " + note);
            }

            int latent = model.vae().spec().latentSize();
            JobConfig.Render r = config.render();
            List<LatentPoint> means = latent == 2 ? TestSplitData.latentMeans(spark, test, model.vae()) : null;
            RunPictures pictures = new RunPictures(TestSplitData.pick(test, r.reconstructions(), config.seed()), means, log,
                    r.manifoldGrid(), r.samples(), config.seed());
            Integer epochs = log == null || log.isEmpty() ? null : log.stream().mapToInt(EpochMetrics::epoch).max().getAsInt();
            Provenance provenance = Provenance.of(config.runName(), config.resolved(), config.seed(), manifest.hash());
            Renderer renderer = new Renderer(files, model.vae(), manifest.shape(), r.scale(), config.runName(), epochs, provenance);

            List<String> notes = pictures.commit(renderer, files, target, ctx.overwrite(), latent);
            notes.forEach(n -> StageLog.info("render: " + n));
            String written = Arrays.stream(files.list(target)).map(FileStatus::getPath).map(Path::getName)
                    .filter(n -> n.endsWith(".png")).sorted().collect(Collectors.joining(", "));
            StageLog.info("render: wrote " + target + ": " + written);
            return 0;
        }
    }
}

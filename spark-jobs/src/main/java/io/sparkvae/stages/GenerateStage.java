package io.sparkvae.stages;

import io.sparkvae.config.JobConfig;
import io.sparkvae.dataset.DatasetManifest;
import io.sparkvae.dataset.DatasetReader;
import io.sparkvae.evaluate.RunModel;
import io.sparkvae.io.HadoopFiles;
import io.sparkvae.job.Stage;
import io.sparkvae.job.InputVersions;
import io.sparkvae.job.StageContext;
import io.sparkvae.job.StageLog;
import io.sparkvae.layout.RunLayout;
import io.sparkvae.model.LoadedVae;
import io.sparkvae.provenance.Provenance;
import io.sparkvae.spark.JobLabels;
import io.sparkvae.render.Generation;
import io.sparkvae.render.PriorSamples;
import io.sparkvae.render.PictureBudget;
import io.sparkvae.render.Renderer;
import java.util.Locale;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * {@code generate}: {@code generate.samples} seeded draws from the prior, decoded on the executors, into
 * {@code runs/<run>/generate/}: {@code samples.parquet}, the grid {@code samples.png} and optionally one PNG each.
 */
public final class GenerateStage implements Stage {
    @Override
    public void run(StageContext ctx) {
        JobConfig config = ctx.config();
        HadoopFiles files = ctx.files();
        RunLayout layout = ctx.layout();
        RunLayout.GenerateFiles target = layout.generate();
        if (ctx.skipOrLock(target.dir())) {
            return;
        }
        LoadedVae model = RunModel.load(layout.model(), files);
        SparkSession spark = ctx.spark();
        // The pictures need the image shape, which the run's dataset records (the model knows only its input size).
        Path datasetDir = layout.dataset().dir();
        DatasetManifest manifest = new DatasetReader(spark, files).open(datasetDir, config.data());
        RunModel.requireFits(model, manifest, layout.model(), datasetDir);

        JobConfig.Generate g = config.generate();
        JobConfig.Render r = config.render();
        PictureBudget.requireFits(PictureBudget.generate(Math.min(g.grid(), g.samples()), manifest.shape(), r.scale()), r.scale(),
                Runtime.getRuntime().maxMemory());
        long start = System.nanoTime();
        Provenance provenance = Provenance.of(config.runName(), config.resolved(), config.seed(), manifest.hash())
                .withModelSha256(model.provenance().modelSha256());
        ctx.recordInputs(new InputVersions.Read(provenance.datasetSha256(), provenance.modelSha256()));
        Renderer renderer = new Renderer(files, model.vae(), manifest.shape(), r.scale(), config.runName(), null, provenance);
        int partitions = (int) Math.max(1, Math.min(config.data().partitions() * 4L, (g.samples() + 99) / 100));
        JobLabels.describe(spark.sparkContext(), "draw " + g.samples() + " samples from the prior, write them");
        Dataset<Row> samples = PriorSamples.draw(spark, model.vae(), g.samples(), config.seed(), partitions)
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            Generation.commit(samples, g.samples(), Math.min(g.grid(), g.samples()), g.images(), renderer, manifest.shape(),
                    r.scale(), config.seed(), provenance, files, target,
                    ctx.overwrite());
        } finally {
            samples.unpersist();
        }
        StageLog.info(String.format(Locale.ROOT, "generate: wrote %s: %d samples (%s, %s%s) in %.1f s", target.dir(), g.samples(),
                target.samples().getName(), target.grid().getName(), g.images() ? ", " + target.images().getName() + "/" : "",
                (System.nanoTime() - start) / 1e9));
    }
}

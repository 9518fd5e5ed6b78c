package io.sparkvae.stages;

import io.sparkvae.config.JobConfig;
import io.sparkvae.dataset.DatasetManifest;
import io.sparkvae.dataset.DatasetReader;
import io.sparkvae.evaluate.RunModel;
import io.sparkvae.io.HadoopFiles;
import io.sparkvae.job.InputVersions;
import io.sparkvae.job.Stage;
import io.sparkvae.job.StageContext;
import io.sparkvae.job.StageLog;
import io.sparkvae.layout.RunLayout;
import io.sparkvae.model.LoadedVae;
import io.sparkvae.onnx.ImageLayout;
import io.sparkvae.onnx.OnnxExport;
import io.sparkvae.onnx.VaeOnnx;
import io.sparkvae.provenance.Provenance;
import java.util.Locale;
import org.apache.hadoop.fs.Path;

/**
 * {@code export}: the trained model as ONNX graphs for use outside the JVM, in {@code runs/<run>/export/}:
 * {@code encoder.onnx}, {@code decoder.onnx} and {@code model.json} (the image layout from the run's dataset, the
 * provenance). Reads the model and the dataset's manifest only, so it starts no Spark application of its own.
 */
public final class ExportStage implements Stage {
    @Override
    public void run(StageContext ctx) {
        JobConfig config = ctx.config();
        HadoopFiles files = ctx.files();
        RunLayout layout = ctx.layout();
        RunLayout.ExportFiles target = layout.export();
        if (ctx.skipOrLock(target.dir())) {
            return;
        }
        long start = System.nanoTime();
        LoadedVae model = RunModel.load(layout.model(), files);
        Path datasetDir = layout.dataset().dir();
        DatasetManifest manifest = DatasetReader.manifest(files, datasetDir, config.data());
        RunModel.requireFits(model, manifest, layout.model(), datasetDir);
        String note = RunModel.datasetNote(model, manifest, datasetDir);
        if (note != null) {
            StageLog.info(ctx.stage() + ": " + note);
        }
        Provenance provenance = Provenance.of(config.runName(), config.resolved(), config.seed(), manifest.hash())
                .withModelSha256(model.provenance().modelSha256());
        ctx.recordInputs(new InputVersions.Read(provenance.datasetSha256(), provenance.modelSha256()));
        ImageLayout image = new ImageLayout(manifest.shape(), background(manifest));
        files.writeStaged(target.dir(), ctx.overwrite(), dir -> OnnxExport.write(model.vae(), image, provenance, dir, files));
        ctx.record("latent_size", model.vae().spec().latentSize());
        ctx.record("opset", VaeOnnx.opset());
        StageLog.info(String.format(Locale.ROOT, "export: wrote %s: %s, %s (ONNX opset %d) and %s in %.1f s", target.dir(),
                target.encoder().getName(), target.decoder().getName(), VaeOnnx.opset(), target.description().getName(),
                (System.nanoTime() - start) / 1e9));
    }

    /** The colour transparent pixels were composited over, as the dataset's format recorded it (none for IDX files). */
    private static String background(DatasetManifest manifest) {
        Object b = manifest.format() == null ? null : manifest.format().get("background");
        return b == null ? null : b.toString();
    }
}

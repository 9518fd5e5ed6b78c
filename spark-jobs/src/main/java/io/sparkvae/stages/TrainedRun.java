package io.sparkvae.stages;

import io.sparkvae.dataset.DatasetManifest;
import io.sparkvae.dataset.DatasetReader;
import io.sparkvae.evaluate.RunModel;
import io.sparkvae.job.StageContext;
import io.sparkvae.job.StageLog;
import io.sparkvae.layout.RunLayout;
import io.sparkvae.model.LoadedVae;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What the stages after train read: the run's committed model, its dataset's manifest and one split, checked to fit
 * each other (a note when the model was trained on another version of the dataset).
 */
record TrainedRun(LoadedVae model, DatasetManifest manifest, Dataset<Row> split) {

    /** Opens the model and {@code split} of the run in {@code ctx}; its stage is named in messages. */
    static TrainedRun open(StageContext ctx, String split) {
        String stage = ctx.stage().commandName();
        RunLayout layout = ctx.layout();
        LoadedVae model = RunModel.load(layout.model(), ctx.files());
        Path datasetDir = layout.dataset().dir();
        DatasetReader reader = new DatasetReader(ctx.spark(), ctx.files());
        DatasetManifest manifest = reader.open(datasetDir, ctx.config().data());
        RunModel.requireFits(model, manifest, layout.model(), datasetDir);
        String note = RunModel.datasetNote(model, manifest, datasetDir);
        if (note != null) {
            StageLog.info(stage + ": " + note);
        }
        return new TrainedRun(model, manifest, reader.split(datasetDir, manifest, split));
    }
}

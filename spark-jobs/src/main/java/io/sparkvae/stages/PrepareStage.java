package io.sparkvae.stages;

import io.sparkvae.config.JobConfig;
import io.sparkvae.dataset.DatasetPreparer;
import io.sparkvae.job.Stage;
import io.sparkvae.job.StageContext;
import io.sparkvae.job.StageLog;
import io.sparkvae.provenance.Provenance;
import org.apache.hadoop.fs.Path;

/** {@code prepare}: a data set in any format ({@code data.format}) into partitioned train/val/test Parquet, a manifest and previews. */
public final class PrepareStage implements Stage {
    @Override
    public void run(StageContext ctx) {
        JobConfig.Data data = ctx.config().data();
        Path target = ctx.layout().dataset().dir();
        if (ctx.skipOrLock(target)) {
            return;
        }
        Provenance provenance = Provenance.of(ctx.config().runName(), ctx.config().resolved(), ctx.config().seed(), null);
        var spark = ctx.spark();
        // The total is known only once the source is read (a folder's files, a table's rows): a count without a percentage.
        ctx.progress("examples decoded", 0);
        var result = new DatasetPreparer(spark, ctx.files()).prepare(
                data, ctx.files().path(data.raw()), target, ctx.overwrite(), provenance);
        StringBuilder counts = new StringBuilder();
        result.manifest().splits().forEach((k, v) -> counts.append(' ').append(k).append('=').append(v.count()));
        result.manifest().splits().forEach((k, v) -> ctx.record(k + "_examples", v.count()));
        Object skipped = result.manifest().format().get("skipped");
        StageLog.info("prepare: wrote " + result.dir() + " (" + data.dataset() + ", " + data.format() + counts
                + (skipped == null ? "" : ", skipped " + skipped + " unreadable files: see manifest.json") + ")");
    }
}

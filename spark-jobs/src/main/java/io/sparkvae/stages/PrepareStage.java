package io.sparkvae.stages;

import io.sparkvae.config.JobConfig;
import io.sparkvae.dataset.DatasetPreparer;
import io.sparkvae.provenance.Provenance;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code vae prepare}: a data set in any format ({@code data.format}) into partitioned train/val/test Parquet. */
@Command(name = "prepare", mixinStandardHelpOptions = true,
        description = {"Slice the raw data set into partitioned train/val/test Parquet under <root>/datasets/<dataset>/,",
                "with manifest.json, preview-<split>.png contact sheets and _SUCCESS (written last)."})
public final class PrepareStage implements Callable<Integer> {
    @Mixin
    StageOptions options;

    @Override
    public Integer call() {
        try (StageContext ctx = StageContext.open(options)) {
            JobConfig.Data data = ctx.config().data();
            if (ctx.skipOrLock("prepare", ctx.datasetDir())) {
                return 0;
            }
            Provenance provenance = Provenance.of(ctx.config().runName(), ctx.config().resolved(), ctx.config().seed(), null);
            var result = new DatasetPreparer(ctx.spark("prepare"), ctx.files()).prepare(
                    data, ctx.files().path(data.raw()), ctx.datasetDir(), ctx.overwrite(), provenance);
            StringBuilder counts = new StringBuilder();
            result.manifest().splits().forEach((k, v) -> counts.append(' ').append(k).append('=').append(v.count()));
            Object skipped = result.manifest().format().get("skipped");
            StageLog.info("prepare: wrote " + result.dir() + " (" + data.dataset() + ", " + data.format() + counts
                    + (skipped == null ? "" : ", skipped " + skipped + " unreadable files: see manifest.json") + ")");
            return 0;
        }
    }
}

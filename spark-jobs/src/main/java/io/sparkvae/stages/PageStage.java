package io.sparkvae.stages;

import io.sparkvae.config.JobConfig;
import io.sparkvae.io.HadoopFiles;
import io.sparkvae.io.Json;
import io.sparkvae.job.InputVersions;
import io.sparkvae.job.Stage;
import io.sparkvae.job.StageContext;
import io.sparkvae.job.StageLog;
import io.sparkvae.layout.RunLayout;
import io.sparkvae.model.LoadedVae;
import io.sparkvae.page.PageHtml;
import io.sparkvae.page.PageInputs;
import io.sparkvae.page.RunPage;
import io.sparkvae.provenance.Provenance;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code page}: the run's page, {@code runs/<run>/report/index.html}, one self-contained HTML file with everything the
 * other stages wrote about the run and a latent explorer whose decoder (the run's weights, exported into the page) runs
 * in the browser. Named {@code page}, not {@code report}: {@code vae report} is the sweeps' reproduction report.
 */
public final class PageStage implements Stage {
    @Override
    public void run(StageContext ctx) {
        JobConfig config = ctx.config();
        HadoopFiles files = ctx.files();
        RunLayout layout = ctx.layout();
        RunLayout.PageFiles target = layout.page();
        if (ctx.skipOrLock(target.dir())) {
            return;
        }
        TrainedRun run = TrainedRun.open(ctx, "test");
        LoadedVae model = run.model();
        ctx.progress("examples encoded", Math.min(PageInputs.SAMPLE, run.manifest().splits().get("test").count()));
        Provenance provenance = Provenance.of(config.runName(), config.resolved(), config.seed(), run.manifest().hash())
                .withModelSha256(model.provenance().modelSha256());
        ctx.recordInputs(new InputVersions.Read(provenance.datasetSha256(), provenance.modelSha256()));
        RunPage page = new PageInputs(ctx.spark(), files, layout).read(model, run.manifest(), run.split(), provenance);
        byte[] html = PageHtml.of(page).getBytes(StandardCharsets.UTF_8);
        Map<String, Object> description = new LinkedHashMap<>();
        description.put("file", target.index().getName());
        description.put("epochs", page.epochs().size());
        description.put("pictures", page.pictures().size());
        description.put("explorer_points", page.sample().size());
        description.put("decoder_precision", page.decoder().precision());
        description.put("decoder_mantissa_bits", page.decoder().mantissaBits());
        description.put("decoder_max_deviation", page.decoder().maxDeviation());
        description.put("provenance", provenance);
        files.writeStaged(target.dir(), ctx.overwrite(), dir -> {
            RunLayout.PageFiles staged = target.stagedIn(dir);
            files.writeBytes(staged.index(), html);
            files.writeString(staged.description(), Json.write(description));
            return null;
        });
        ctx.record("bytes", html.length);
        ctx.record("pictures", page.pictures().size());
        StageLog.info(String.format(Locale.ROOT, "page: wrote %s (%.1f MB, %d pictures, %d explorer points, decoder in %s)",
                target.index(), html.length / 1e6, page.pictures().size(), page.sample().size(), page.decoder().precision()));
    }
}

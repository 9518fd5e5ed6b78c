package io.sparkvae.stages;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code vae pipeline}: Run prepare -> train -> evaluate -> render, skipping stages whose output is complete. */
@Command(name = "pipeline", mixinStandardHelpOptions = true, description = "Run prepare -> train -> evaluate -> render, skipping stages whose output is complete.")
public final class PipelineStage implements Callable<Integer> {
    @Mixin
    StageOptions options;

    @Override
    public Integer call() {
        StageLog.info("pipeline: not implemented yet");
        return 1;
    }
}

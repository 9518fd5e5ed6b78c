package io.sparkvae.stages;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code vae render}: Pictures: reconstructions, the 2-D manifold, prior samples, latent scatter, training curve. */
@Command(name = "render", mixinStandardHelpOptions = true, description = "Pictures: reconstructions, the 2-D manifold, prior samples, latent scatter, training curve.")
public final class RenderStage implements Callable<Integer> {
    @Mixin
    StageOptions options;

    @Override
    public Integer call() {
        StageLog.info("render: not implemented yet");
        return 1;
    }
}

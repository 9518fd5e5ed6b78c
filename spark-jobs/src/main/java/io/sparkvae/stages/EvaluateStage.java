package io.sparkvae.stages;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code vae evaluate}: Score the test split: -ELBO (and its parts) and importance-sampled log p(x). */
@Command(name = "evaluate", mixinStandardHelpOptions = true, description = "Score the test split: -ELBO (and its parts) and importance-sampled log p(x).")
public final class EvaluateStage implements Callable<Integer> {
    @Mixin
    StageOptions options;

    @Override
    public Integer call() {
        StageLog.info("evaluate: not implemented yet");
        return 1;
    }
}

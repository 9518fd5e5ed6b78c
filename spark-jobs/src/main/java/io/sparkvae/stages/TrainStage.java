package io.sparkvae.stages;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code vae train}: Train the VAE on Spark with parameter averaging across executors. */
@Command(name = "train", mixinStandardHelpOptions = true, description = "Train the VAE on Spark with parameter averaging across executors.")
public final class TrainStage implements Callable<Integer> {
    @Mixin
    StageOptions options;

    @Override
    public Integer call() {
        StageLog.info("train: not implemented yet");
        return 1;
    }
}

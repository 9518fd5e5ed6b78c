package io.sparkvae.cli;

import io.sparkvae.examples.VaePipelineExample;
import io.sparkvae.job.Failures;
import io.sparkvae.job.JobOptions;
import io.sparkvae.job.SparkSessions;
import io.sparkvae.job.StageContext;
import io.sparkvae.layout.DatasetLayout;
import io.sparkvae.stages.PrepareStage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code vae example}: prepares the config's dataset if needed, then runs {@link VaePipelineExample} on it. */
@Command(name = "example", mixinStandardHelpOptions = true,
        description = {"The VAE as a Spark ML Pipeline stage: fit VaeEstimator on the prepared train split of the config's",
                "dataset (preparing it first when needed), score the test split with the fitted VaeModel, print a few",
                "latent codes and the 5 test rows with the highest -ELBO. Source: io.sparkvae.examples.VaePipelineExample."})
final class ExampleCommand implements Callable<Integer> {
    @Mixin
    SparkTargetOptions target;

    @Option(names = "--conf", paramLabel = "FILE", defaultValue = "conf/punks-z2.conf",
            description = "Job config naming the dataset (and the latent size). Default: ${DEFAULT-VALUE}")
    String conf;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a config key (repeatable).")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--epochs", defaultValue = "5", description = "Training epochs. Default: ${DEFAULT-VALUE}")
    int epochs;

    @Override
    public Integer call() {
        JobOptions options = new JobOptions(conf, target.root, target.master, overrides, target.sparkConf, false);
        try (SparkSessions sessions = SparkSessions.forCommand("example", options)) {
            DatasetLayout dataset;
            int latent;
            try (StageContext ctx = StageContext.open(options, sessions)) {
                new PrepareStage().run(ctx);
                dataset = ctx.layout().dataset();
                latent = ctx.config().model().latent();
            }
            VaePipelineExample.run(sessions.get("example"), dataset.split("train").toString(), dataset.split("test").toString(),
                    epochs, latent, System.out);
        }
        return Failures.EXIT_OK;
    }
}

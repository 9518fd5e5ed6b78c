package io.sparkvae.examples;

import static org.apache.spark.sql.functions.col;

import io.sparkvae.ml.VaeEstimator;
import io.sparkvae.ml.VaeModel;
import java.io.PrintStream;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The VAE as a Spark ML stage, end to end: fit {@link VaeEstimator} in a {@link Pipeline} on one prepared split, score
 * another with the fitted {@link VaeModel}, print a few latent codes and the rows the model finds most unusual (the
 * highest -ELBO). {@code scripts/vae example} prepares a dataset and runs it; with spark-submit:
 * {@code --class io.sparkvae.examples.VaePipelineExample spark-vae-jobs.jar <train Parquet> <test Parquet> [epochs]}.
 */
public final class VaePipelineExample {
    private VaePipelineExample() {}

    public static void main(String[] args) {
        if (args.length < 2 || args.length > 3) {
            System.err.println("usage: VaePipelineExample <train Parquet folder> <test Parquet folder> [epochs]");
            System.exit(2);
        }
        SparkSession spark = SparkSession.builder().appName("vae-pipeline-example").getOrCreate();
        try {
            run(spark, args[0], args[1], args.length == 3 ? Integer.parseInt(args[2]) : 5, 2, System.out);
        } finally {
            spark.stop();
        }
    }

    /**
     * @param train  Parquet folder of the rows to fit on (a {@code pixels} column of HWC values in [0, 1])
     * @param test   Parquet folder of the rows to score
     * @param latent dimensions of the latent space
     */
    public static void run(SparkSession spark, String train, String test, int epochs, int latent, PrintStream out) {
        Dataset<Row> trainRows = spark.read().parquet(train);
        Dataset<Row> testRows = spark.read().parquet(test);

        VaeEstimator vae = new VaeEstimator()
                .setLatentSize(latent)
                .setEpochs(epochs)
                .setLearningRateScaling("linear"); // two workers, each at 2 x 1e-3: the shipped configs' setting
        long start = System.nanoTime();
        PipelineModel fitted = new Pipeline().setStages(new PipelineStage[] {vae}).fit(trainRows);
        VaeModel model = (VaeModel) fitted.stages()[0];
        out.printf("fitted %s on %s in %.0f s%n", model, train, (System.nanoTime() - start) / 1e9);

        Dataset<Row> scored = fitted.transform(testRows).select("index", "latent_mean", "neg_elbo").cache();
        out.println("a few latent codes (posterior means) and -ELBO (nats) of " + test + ":");
        for (Row r : scored.orderBy("index").limit(5).collectAsList()) {
            out.printf("  index %5d  latent_mean %s  neg_elbo %.2f%n", r.getInt(0), r.get(1), r.getDouble(2));
        }
        out.println("the 5 highest -ELBO (the rows the model finds most unusual):");
        List<Row> highest = scored.orderBy(col("neg_elbo").desc()).limit(5).collectAsList();
        for (Row r : highest) {
            out.printf("  index %5d  neg_elbo %.2f%n", r.getInt(0), r.getDouble(2));
        }
        scored.unpersist();
    }
}

package io.sparkvae.train;

import io.sparkvae.model.Seeds;
import io.sparkvae.spark.TaskThreads;
import io.sparkvae.dataset.ExampleRows;
import io.sparkvae.model.Vae;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.nd4j.linalg.factory.Nd4j;
import scala.Tuple2;

/**
 * Mean -ELBO of the validation split, computed on the executors: the model is broadcast once per epoch and each
 * partition scores its own examples in index-ordered batches, with eps seeded from the run seed, the epoch and
 * the batch's first index (so the number is reproducible whatever the partitioning's timing).
 */
public final class ValidationScorer implements AutoCloseable {
    private final JavaSparkContext jsc;
    private final JavaRDD<Tuple2<Integer, float[][]>> batches;
    private final long seed;

    public ValidationScorer(JavaSparkContext jsc, Dataset<Row> rows, int batchSize, long seed) {
        this.jsc = jsc;
        this.seed = seed;
        this.batches = rows.select(ExampleRows.INDEX, ExampleRows.PIXELS).javaRDD()
                .mapPartitions(it -> MinibatchExporter.batchesInIndexOrder(it, batchSize))
                .persist(StorageLevel.MEMORY_AND_DISK_SER());
    }

    /** Mean per-image -ELBO (one eps sample per image) of {@code vae} on the validation split. */
    public double meanNegElbo(Vae vae, int epoch) {
        Broadcast<Vae> model = jsc.broadcast(vae);
        try {
            long runSeed = seed;
            double[] sums = batches.mapPartitions(it -> {
                TaskThreads.fitToTask();
                // Broadcast values are shared by the tasks of an executor; a Vae is not thread-safe, so copy it.
                Vae local = Vae.wrap(model.value().network().clone());
                double sum = 0;
                long n = 0;
                while (it.hasNext()) {
                    Tuple2<Integer, float[][]> b = it.next();
                    var terms = local.elbo(Nd4j.create(b._2()), 1, Seeds.of(runSeed, Seeds.Purpose.VALIDATION_NOISE, epoch, b._1()));
                    sum += terms.negElbo().sumNumber().doubleValue();
                    n += b._2().length;
                }
                return List.of(new double[] {sum, n}).iterator();
            }).reduce((a, b) -> new double[] {a[0] + b[0], a[1] + b[1]});
            return sums[0] / sums[1];
        } finally {
            model.destroy();
        }
    }

    @Override
    public void close() {
        batches.unpersist();
    }
}

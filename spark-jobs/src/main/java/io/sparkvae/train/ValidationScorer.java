package io.sparkvae.train;

import io.sparkvae.model.Vae;
import io.sparkvae.scoring.BlockSum;
import io.sparkvae.scoring.Example;
import io.sparkvae.scoring.ScoringSettings;
import io.sparkvae.scoring.SplitBlocks;
import io.sparkvae.scoring.VaeBytes;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * Mean -ELBO of the validation split after each epoch, through the one scoring path ({@link SplitBlocks}): the split
 * is regrouped into aligned index blocks once and kept, the model is broadcast once per epoch, every example draws
 * one eps from its own stream of that epoch ({@link ScoringSettings#forValidation}), and the driver adds per-block
 * sums in block order. So the number is the same whatever the partitioning, and equals what the evaluate stage's
 * scorer gives for the same settings. Without validation rows it scores nothing and returns NaN.
 */
public final class ValidationScorer implements AutoCloseable {
    private final JavaSparkContext jsc;
    private final JavaPairRDD<Integer, Example> blocks;
    private final int blockSize;
    private final long seed;

    /**
     * @param rows      the validation split ({@code index}, {@code label}, {@code pixels}), or null for none
     * @param blockSize examples per scoring block
     */
    public ValidationScorer(JavaSparkContext jsc, Dataset<Row> rows, int blockSize, long seed) {
        this.jsc = jsc;
        this.blockSize = blockSize;
        this.seed = seed;
        this.blocks = rows == null ? null
                : SplitBlocks.regroup(rows, Math.max(rows.rdd().getNumPartitions(), 2 * jsc.defaultParallelism()), blockSize)
                        .persist(StorageLevel.MEMORY_AND_DISK_SER());
    }

    /** Whether there is a validation split to score. */
    public boolean enabled() {
        return blocks != null;
    }

    /** Mean per-image -ELBO (one eps sample per image) of {@code vae} on the validation split; NaN without one. */
    public double meanNegElbo(Vae vae, int epoch) {
        if (blocks == null) {
            return Double.NaN;
        }
        Broadcast<VaeBytes> model = jsc.broadcast(VaeBytes.of(vae));
        try {
            int size = blockSize;
            BlockSum total = BlockSum.total(SplitBlocks.score(blocks, model, ScoringSettings.forValidation(seed, epoch, size))
                    .mapPartitions(it -> BlockSum.of(it, size)).collect());
            return (total.reconstruction() + total.kl()) / total.examples();
        } finally {
            model.destroy();
        }
    }

    @Override
    public void close() {
        if (blocks != null) {
            blocks.unpersist();
        }
    }
}

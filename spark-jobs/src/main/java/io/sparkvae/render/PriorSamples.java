package io.sparkvae.render;

import io.sparkvae.model.PixelMatrix;
import io.sparkvae.model.Seeds;
import io.sparkvae.model.Vae;
import io.sparkvae.scoring.VaeBytes;
import io.sparkvae.spark.TaskThreads;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Draws from the model's prior and decodes them on the executors: sample {@code i} is z ~ N(0, I) from a stream seeded
 * by the run seed and {@code i} alone, decoded in aligned blocks of {@value #BLOCK} samples, so every sample is the same
 * however many tasks draw them (and the first 100 of a run of 10,000 are the 100 of a run of 100).
 */
public final class PriorSamples {
    /** Samples decoded per model call. */
    static final int BLOCK = 100;
    public static final String INDEX = "index";
    public static final String Z = "z";
    public static final String PIXELS = "pixels";
    /** The rows: sample number, its latent draw and the decoder's pixel means (HWC in [0, 1]). */
    public static final StructType SCHEMA = new StructType()
            .add(INDEX, DataTypes.LongType, false)
            .add(Z, DataTypes.createArrayType(DataTypes.FloatType, false), false)
            .add(PIXELS, DataTypes.createArrayType(DataTypes.FloatType, false), false);

    private PriorSamples() {}

    /** Sample {@code i}'s latent draw. */
    public static float[] z(long i, int latent, long seed) {
        SplittableRandom rng = new SplittableRandom(Seeds.of(seed, Seeds.Purpose.GENERATED_SAMPLES, i));
        float[] z = new float[latent];
        for (int j = 0; j < latent; j++) {
            z[j] = (float) rng.nextGaussian();
        }
        return z;
    }

    /** {@code count} samples as rows of {@link #SCHEMA}, drawn lazily by {@code partitions} tasks. */
    public static Dataset<Row> draw(SparkSession spark, Vae vae, long count, long seed, int partitions) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<VaeBytes> model = jsc.broadcast(VaeBytes.of(vae));
        int latent = vae.spec().latentSize();
        long blocks = (count + BLOCK - 1) / BLOCK;
        List<Long> blockNumbers = LongStream.range(0, blocks).boxed().toList();
        JavaRDD<Row> rows = jsc.parallelize(blockNumbers, (int) Math.max(1, Math.min(blocks, partitions))).mapPartitions(it -> {
            TaskThreads.fitToTask();
            Vae local = null;
            List<Row> out = new ArrayList<>();
            while (it.hasNext()) {
                long first = it.next() * BLOCK;
                int n = (int) Math.min(BLOCK, count - first);
                float[][] z = new float[n][];
                for (int i = 0; i < n; i++) {
                    z[i] = z(first + i, latent, seed);
                }
                if (local == null) {
                    local = model.value().restore();
                }
                float[][] pixels = local.decode(PixelMatrix.of(z)).toFloatMatrix();
                for (int i = 0; i < n; i++) {
                    out.add(RowFactory.create(first + i, boxed(z[i]), boxed(pixels[i])));
                }
            }
            return out.iterator();
        });
        return spark.createDataFrame(rows, SCHEMA);
    }

    private static Float[] boxed(float[] v) {
        Float[] out = new Float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }
}

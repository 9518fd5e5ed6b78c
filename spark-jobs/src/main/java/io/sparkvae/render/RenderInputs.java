package io.sparkvae.render;

import io.sparkvae.model.PixelMatrix;
import io.sparkvae.dataset.ExampleRows;
import io.sparkvae.scoring.Example;
import io.sparkvae.scoring.VaeBytes;
import io.sparkvae.model.Posterior;
import io.sparkvae.model.Vae;
import io.sparkvae.model.AnomalyScore;
import io.sparkvae.scoring.ScoredBlocks;
import io.sparkvae.scoring.ScoringSettings;
import io.sparkvae.scoring.SplitBlocks;
import io.sparkvae.spark.TaskProgress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import scala.Tuple2;

/**
 * What render needs from the test split: a seeded handful of examples, seeded pairs, the examples with the highest
 * anomaly score, and every example's posterior mean.
 */
public final class RenderInputs {
    /** Rows encoded per model call on an executor. */
    static final int ENCODE_BATCH = 500;

    private RenderInputs() {}

    /** A seeded choice of {@code count} examples (see {@link Sampling#pick}), in ascending index order. */
    public static List<Example> pick(Dataset<Row> split, int count, long seed) {
        List<Integer> indices = new ArrayList<>();
        for (Row r : split.select(ExampleRows.INDEX).collectAsList()) {
            indices.add(r.getInt(0));
        }
        List<Integer> chosen = Sampling.pick(indices, count, seed);
        List<Example> out = new ArrayList<>();
        for (Row r : split.where(functions.col(ExampleRows.INDEX).isin(chosen.toArray())).collectAsList()) {
            out.add(new Example(ExampleRows.index(r), ExampleRows.label(r), ExampleRows.pixels(r)));
        }
        out.sort(Comparator.comparingInt(Example::index));
        return out;
    }

    /** {@code count} seeded pairs of examples (see {@link Sampling#pairs}). */
    public static List<Example[]> pairs(Dataset<Row> split, int count, long seed) {
        List<Integer> indices = new ArrayList<>();
        for (Row r : split.select(ExampleRows.INDEX).collectAsList()) {
            indices.add(r.getInt(0));
        }
        List<int[]> chosen = Sampling.pairs(indices, count, seed);
        java.util.Map<Integer, Example> byIndex = examples(split, chosen.stream().flatMapToInt(java.util.Arrays::stream).boxed().toList());
        return chosen.stream().map(p -> new Example[] {byIndex.get(p[0]), byIndex.get(p[1])}).toList();
    }

    /**
     * The {@code count} examples with the highest {@code rankBy}, highest first (ties by index), scored on the executors
     * through the one scoring path with {@code settings}' noise (so each -ELBO is the evaluate stage's for that example;
     * the settings must compute {@code rankBy}); only those examples reach the driver.
     */
    public static List<Outlier> outliers(SparkSession spark, Dataset<Row> split, Vae vae, ScoringSettings settings,
                                         AnomalyScore rankBy, int count, int partitions) {
        Broadcast<VaeBytes> model = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(VaeBytes.of(vae));
        ScoringSettings elbo = settings.elboOnly();
        try {
            List<Ranked> top = SplitBlocks.regroup(split, partitions, settings.blockSize()).mapPartitions(rows ->
                    ScoredBlocks.aligned(rows, Tuple2::_1, t -> t._2().pixels(), () -> model.value().restore(), elbo,
                            (t, s, i) -> new Ranked(t._1(), s.score(rankBy, i))))
                    .takeOrdered(count, new HighestFirst());
            java.util.Map<Integer, Example> byIndex = examples(split, top.stream().map(Ranked::index).toList());
            return top.stream().map(s -> new Outlier(byIndex.get(s.index()), rankBy, s.value())).toList();
        } finally {
            model.destroy();
        }
    }

    /** One example's index and score. */
    record Ranked(int index, double value) implements java.io.Serializable {
    }

    /** Highest score first, then ascending index. */
    static final class HighestFirst implements Comparator<Ranked>, java.io.Serializable {
        private static final long serialVersionUID = 1L;

        @Override
        public int compare(Ranked a, Ranked b) {
            int c = Double.compare(b.value(), a.value());
            return c != 0 ? c : Integer.compare(a.index(), b.index());
        }
    }

    /** The examples of {@code indices}, by index. */
    private static java.util.Map<Integer, Example> examples(Dataset<Row> split, List<Integer> indices) {
        java.util.Map<Integer, Example> out = new java.util.HashMap<>();
        for (Row r : split.where(functions.col(ExampleRows.INDEX).isin(indices.toArray())).collectAsList()) {
            out.put(ExampleRows.index(r), new Example(ExampleRows.index(r), ExampleRows.label(r), ExampleRows.pixels(r)));
        }
        return out;
    }

    /** Posterior means of a 2-D latent space for every row, computed on the executors; ascending index order. */
    public static List<LatentPoint> latentMeans(SparkSession spark, Dataset<Row> split, Vae vae) {
        if (vae.spec().latentSize() != 2) {
            throw new IllegalArgumentException("latent means are plotted for 2-D latent spaces only");
        }
        Broadcast<VaeBytes> model = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(VaeBytes.of(vae));
        try {
            List<LatentPoint> points = new ArrayList<>(TaskProgress.counted(split
                    .select(ExampleRows.INDEX, ExampleRows.LABEL, ExampleRows.PIXELS)
                    .javaRDD())
                    .mapPartitions(rows -> encode(rows, model.value().restore()))
                    .collect());
            points.sort(Comparator.comparingInt(LatentPoint::index));
            return points;
        } finally {
            model.destroy();
        }
    }

    /** Encodes a partition in batches; the encoder is deterministic, so batching cannot change the means. */
    private static Iterator<LatentPoint> encode(Iterator<Row> rows, Vae vae) {
        List<LatentPoint> out = new ArrayList<>();
        List<Row> batch = new ArrayList<>(ENCODE_BATCH);
        while (rows.hasNext()) {
            batch.add(rows.next());
            if (batch.size() == ENCODE_BATCH || !rows.hasNext()) {
                List<float[]> pixels = new ArrayList<>(batch.size());
                for (Row r : batch) {
                    pixels.add(ExampleRows.pixels(r));
                }
                Posterior q = vae.encode(PixelMatrix.of(pixels));
                double[] mean = q.mean().ravel().toDoubleVector(); // [n, 2] row-major
                for (int i = 0; i < batch.size(); i++) {
                    Row r = batch.get(i);
                    out.add(new LatentPoint(ExampleRows.index(r), ExampleRows.label(r), mean[2 * i], mean[2 * i + 1]));
                }
                batch.clear();
            }
        }
        return out.iterator();
    }
}

package io.sparkvae.bench;

import static org.apache.spark.sql.functions.col;

import io.sparkvae.model.AnomalyScore;
import io.sparkvae.spark.SparkSessionFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.spark.ml.clustering.GaussianMixture;
import org.apache.spark.ml.clustering.GaussianMixtureModel;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Out-of-distribution and rare-kind detection by every anomaly score the encode stage writes, from tables the project's
 * own commands made (scripts/bench-ood.sh trains and encodes): AUROC, AUPRC, FPR at 95% TPR and outliers among the top
 * P. For the punks, the rare kinds are labelled from the sheet's skin colours, and two references are printed beside
 * the model's scores: the model-free colour rarity (max over an image's colours of -log(share of images having it))
 * and a Gaussian mixture's -log density of the latent means (Spark ML).
 *
 * <p>Usage: {@code OodBenchmark <root> <fashionRun> <mnistRun> <punksRun> <seed>}; a run given as {@code -} is left out.
 */
public final class OodBenchmark {
    /** The rare kinds' skin colours on the sheet, RGB. */
    static final Map<String, int[]> RARE_SKINS = new LinkedHashMap<>();

    static {
        RARE_SKINS.put("alien", new int[] {200, 251, 251});
        RARE_SKINS.put("ape", new int[] {133, 111, 86});
        RARE_SKINS.put("zombie", new int[] {125, 162, 105});
    }

    private OodBenchmark() {}

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]).toAbsolutePath();
        long seed = Long.parseLong(args[4]);
        SparkSession spark = SparkSessionFactory.create("local[2]", "bench-ood", List.of());
        try {
            System.out.println("| case | score | AUROC | AUPRC | FPR at 95% TPR | outliers in top P |");
            System.out.println("|---|---|---|---|---|---|");
            if (!args[1].equals("-")) {
                outOfDistribution(spark, root.resolve("runs").resolve(args[1]).resolve("encode"), "test", "mnist-test",
                        "Fashion-MNIST in / MNIST out");
            }
            if (!args[2].equals("-")) {
                outOfDistribution(spark, root.resolve("runs").resolve(args[2]).resolve("encode"), "test",
                        "fashion-mnist-test", "MNIST in / Fashion-MNIST out");
            }
            if (!args[3].equals("-")) {
                rareKinds(spark, root, args[3], seed);
            }
        } finally {
            spark.stop();
        }
    }

    private static void outOfDistribution(SparkSession spark, Path encode, String in, String out, String name) {
        Dataset<Row> inliers = spark.read().parquet(encode.resolve(in).toString());
        Dataset<Row> outliers = spark.read().parquet(encode.resolve(out).toString());
        for (AnomalyScore s : AnomalyScore.values()) {
            if (!Arrays.asList(inliers.columns()).contains(s.column())) {
                continue;
            }
            double[] a = column(inliers, s.column());
            double[] b = column(outliers, s.column());
            double[] all = new double[a.length + b.length];
            boolean[] outlier = new boolean[all.length];
            System.arraycopy(a, 0, all, 0, a.length);
            System.arraycopy(b, 0, all, a.length, b.length);
            Arrays.fill(outlier, a.length, all.length, true);
            print(name + " (" + a.length + " + " + b.length + ")", s.column(), OodMetrics.of(all, outlier));
        }
    }

    private static double[] column(Dataset<Row> table, String column) {
        return table.select(column).collectAsList().stream().mapToDouble(r -> r.getDouble(0)).toArray();
    }

    /** The punks' 10,000 rows: the run's encode tables of train, val and test joined to the prepared pixels by index. */
    private static void rareKinds(SparkSession spark, Path root, String run, long seed) {
        Path encode = root.resolve("runs").resolve(run).resolve("encode");
        Path dataset = root.resolve("datasets/punks");
        Dataset<Row> scores = null;
        Dataset<Row> pixels = null;
        for (String split : List.of("train", "val", "test")) {
            Dataset<Row> s = spark.read().parquet(encode.resolve(split).toString());
            Dataset<Row> p = spark.read().parquet(dataset.resolve(split).toString()).select("index", "pixels");
            scores = scores == null ? s : scores.unionByName(s);
            pixels = pixels == null ? p : pixels.unionByName(p);
        }
        List<String> columns = new ArrayList<>();
        for (AnomalyScore s : AnomalyScore.values()) {
            if (Arrays.asList(scores.columns()).contains(s.column())) {
                columns.add(s.column());
            }
        }
        List<Row> rows = scores.join(pixels, "index").orderBy("index").collectAsList();
        int n = rows.size();
        boolean[] rare = new boolean[n];
        Map<String, Integer> kinds = new LinkedHashMap<>();
        List<Set<Integer>> colours = new ArrayList<>(n);
        Map<Integer, Integer> imagesWith = new HashMap<>();
        for (int i = 0; i < n; i++) {
            Set<Integer> c = colours(rows.get(i).getList(rows.get(i).fieldIndex("pixels")));
            colours.add(c);
            c.forEach(rgb -> imagesWith.merge(rgb, 1, Integer::sum));
            for (var kind : RARE_SKINS.entrySet()) {
                int[] k = kind.getValue();
                if (c.contains((k[0] << 16) | (k[1] << 8) | k[2])) {
                    rare[i] = true;
                    kinds.merge(kind.getKey(), 1, Integer::sum);
                }
            }
        }
        String name = "punks' rare kinds " + kinds + " among " + n;
        for (String column : columns) {
            double[] v = rows.stream().mapToDouble(r -> r.getDouble(r.fieldIndex(column))).toArray();
            print(name, column, OodMetrics.of(v, rare));
        }
        double[] rarity = new double[n];
        for (int i = 0; i < n; i++) {
            double worst = 0;
            for (int rgb : colours.get(i)) {
                worst = Math.max(worst, -Math.log(imagesWith.get(rgb) / (double) n));
            }
            rarity[i] = worst;
        }
        print(name, "baseline, no model: colour rarity", OodMetrics.of(rarity, rare));
        Dataset<Row> means = spark.createDataFrame(rows.stream().map(r -> org.apache.spark.sql.RowFactory.create(
                (Object) org.apache.spark.ml.linalg.Vectors.dense(floats(r.getList(r.fieldIndex("latent_mean")))))).toList(),
                new org.apache.spark.sql.types.StructType().add("features", org.apache.spark.ml.linalg.SQLDataTypes.VectorType()));
        for (int k : new int[] {10, 30}) {
            GaussianMixtureModel gmm = new GaussianMixture().setK(k).setSeed(seed).setMaxIter(200).fit(means);
            double[] density = new double[n];
            List<Row> features = means.select(col("features")).collectAsList();
            for (int i = 0; i < n; i++) {
                density[i] = -logDensity(gmm, (Vector) features.get(i).get(0));
            }
            print(name, "latent means: Gaussian mixture k=" + k + " -log density", OodMetrics.of(density, rare));
        }
    }

    private static double logDensity(GaussianMixtureModel gmm, Vector x) {
        double max = Double.NEGATIVE_INFINITY;
        double[] terms = new double[gmm.getK()];
        for (int k = 0; k < terms.length; k++) {
            terms[k] = Math.log(gmm.weights()[k]) + gmm.gaussians()[k].logpdf(x);
            max = Math.max(max, terms[k]);
        }
        double sum = 0;
        for (double t : terms) {
            sum += Math.exp(t - max);
        }
        return max + Math.log(sum);
    }

    private static double[] floats(List<Object> values) {
        return values.stream().mapToDouble(v -> ((Number) v).doubleValue()).toArray();
    }

    /** An RGB image's distinct colours as 0xRRGGBB, from HWC values in [0, 1]. */
    static Set<Integer> colours(List<Object> pixels) {
        Set<Integer> out = new HashSet<>();
        for (int i = 0; i + 2 < pixels.size(); i += 3) {
            out.add((byte255(pixels.get(i)) << 16) | (byte255(pixels.get(i + 1)) << 8) | byte255(pixels.get(i + 2)));
        }
        return out;
    }

    private static int byte255(Object v) {
        return Math.round(((Number) v).floatValue() * 255f);
    }

    private static void print(String name, String score, OodMetrics m) {
        System.out.println(String.format(Locale.ROOT, "| %s | %s | %.3f | %.3f | %.3f | %d of %d |", name, score, m.auroc(),
                m.auprc(), m.fprAt95(), m.hitsInTopP(), m.positives()));
    }
}

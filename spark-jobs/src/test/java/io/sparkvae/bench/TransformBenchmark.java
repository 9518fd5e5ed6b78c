package io.sparkvae.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.sum;

import io.sparkvae.data.IdxImages;
import io.sparkvae.data.IdxReader;
import io.sparkvae.dataset.ExampleRows;
import io.sparkvae.ml.VaeModel;
import io.sparkvae.model.LoadedVae;
import io.sparkvae.model.Vae;
import io.sparkvae.model.VaeSpec;
import io.sparkvae.provenance.Provenance;
import io.sparkvae.scoring.BlockScorer;
import io.sparkvae.scoring.ScoringSettings;
import io.sparkvae.spark.SparkSessionFactory;
import io.sparkvae.spark.TaskThreads;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * Throughput of {@link VaeModel#transform} on {@code local[2]} against the single-process model on the same rows:
 * MNIST test images through an MNIST nz=20 model (784-500-20, freshly initialised: the cost does not depend on the
 * weights), latent means and -ELBO (K = 0) and with importance-sampled log p(x) at K = 1000. The single-process side
 * runs the same {@link BlockScorer} in blocks of 100 in this JVM with ND4J on both cores.
 *
 * <p>Usage (via scripts/bench-transform.sh): {@code TransformBenchmark <rawDir> <rows> <rowsK1000> <repeats>}.
 */
public final class TransformBenchmark {
    private TransformBenchmark() {}

    public static void main(String[] args) throws Exception {
        Path raw = Path.of(args[0]).toAbsolutePath();
        int rows = Integer.parseInt(args[1]);
        int rowsIs = Integer.parseInt(args[2]);
        int repeats = Integer.parseInt(args[3]);
        byte[] idx = Files.readAllBytes(raw.resolve("mnist/t10k-images-idx3-ubyte"));
        IdxImages images = IdxReader.readImages(idx, "t10k-images-idx3-ubyte");
        List<float[]> pixels = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            pixels.add(images.image(i));
        }
        Vae vae = Vae.create(VaeSpec.defaults(784, List.of(500), 20, 42));
        List<String[]> table = new ArrayList<>();

        TaskThreads.setThreads(2); // the single process gets both cores, as local[2] does
        double single = best(repeats, () -> singleProcess(vae, pixels, 0));
        double singleIs = best(repeats, () -> singleProcess(vae, pixels.subList(0, rowsIs), 1000));

        SparkSession spark = SparkSessionFactory.create("local[2]", "bench-transform", List.of());
        try {
            List<Row> data = new ArrayList<>();
            for (int i = 0; i < rows; i++) {
                data.add(ExampleRows.row(i, "test", null, pixels.get(i)));
            }
            Dataset<Row> indexed = spark.createDataFrame(data, ExampleRows.SCHEMA).repartition(4)
                    .persist(StorageLevel.MEMORY_ONLY());
            indexed.count();
            Dataset<Row> plain = indexed.drop(ExampleRows.INDEX).persist(StorageLevel.MEMORY_ONLY());
            plain.count();
            Dataset<Row> indexedIs = indexed.where(col(ExampleRows.INDEX).lt(rowsIs)).persist(StorageLevel.MEMORY_ONLY());
            indexedIs.count();
            VaeModel model = new VaeModel(new LoadedVae(vae, Provenance.of("bench", Map.of(), 42, null)));
            double chunked = best(repeats, () -> spark(model, plain, rows));
            double aligned = best(repeats, () -> spark(model, indexed, rows));
            VaeModel withIs = model.copy(new org.apache.spark.ml.param.ParamMap()).setLogLikelihoodCol("ll").setIsSamples(1000);
            double alignedIs = best(repeats, () -> spark(withIs, indexedIs, rowsIs));

            table.add(row("single process, BlockScorer in blocks of 100 (ND4J on 2 threads)", "0", rows, single, single));
            table.add(row("VaeModel.transform, local[2], no index column (blocks where the rows are)", "0", rows, chunked, single));
            table.add(row("VaeModel.transform, local[2], index column (aligned blocks, one shuffle)", "0", rows, aligned, single));
            table.add(row("single process, BlockScorer in blocks of 100 (ND4J on 2 threads)", "1000", rowsIs, singleIs, singleIs));
            table.add(row("VaeModel.transform, local[2], index column", "1000", rowsIs, alignedIs, singleIs));
        } finally {
            spark.stop();
        }
        System.out.println("| what | K | rows | rows/s | vs single process |");
        System.out.println("|---|---|---|---|---|");
        for (String[] r : table) {
            System.out.println("| " + String.join(" | ", r) + " |");
        }
    }

    private static String[] row(String what, String k, int rows, double perSecond, double baseline) {
        return new String[] {what, k, String.format(Locale.ROOT, "%,d", rows), String.format(Locale.ROOT, "%,.0f", perSecond),
                String.format(Locale.ROOT, "%.2fx", perSecond / baseline)};
    }

    /** Rows per second of one pass through the scorer in this JVM. */
    private static double singleProcess(Vae vae, List<float[]> pixels, int isSamples) {
        BlockScorer scorer = new BlockScorer(vae, new ScoringSettings(42, 1, isSamples, 100, false));
        long start = System.nanoTime();
        double sink = 0;
        for (int from = 0; from < pixels.size(); from += 100) {
            sink += scorer.score(pixels.subList(from, Math.min(pixels.size(), from + 100))).kl()[0];
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (Double.isNaN(sink)) {
            throw new IllegalStateException("NaN score");
        }
        return pixels.size() / seconds;
    }

    /** Rows per second of one transform of {@code input}, forced through to the last row. */
    private static double spark(VaeModel model, Dataset<Row> input, int rows) {
        long start = System.nanoTime();
        Row total = model.transform(input).agg(sum(col("neg_elbo"))).first();
        double seconds = (System.nanoTime() - start) / 1e9;
        if (total.isNullAt(0)) {
            throw new IllegalStateException("no rows scored");
        }
        return rows / seconds;
    }

    /** The best of {@code repeats} timed runs after one untimed warm-up run. */
    private static double best(int repeats, java.util.function.DoubleSupplier run) {
        run.getAsDouble();
        double best = 0;
        for (int i = 0; i < repeats; i++) {
            best = Math.max(best, run.getAsDouble());
        }
        return best;
    }
}

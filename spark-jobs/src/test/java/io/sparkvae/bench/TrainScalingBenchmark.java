package io.sparkvae.bench;

import io.sparkvae.layout.RunLayout;
import io.sparkvae.train.TrainingOutputs;
import io.sparkvae.model.PixelMatrix;
import io.sparkvae.config.JobConfig;
import io.sparkvae.config.JobConfigLoader;
import io.sparkvae.data.IdxImages;
import io.sparkvae.data.IdxReader;
import io.sparkvae.dataset.DatasetManifest;
import io.sparkvae.dataset.DatasetPreparer;
import io.sparkvae.dataset.DatasetReader;
import io.sparkvae.io.HadoopFiles;
import io.sparkvae.model.SingleProcessTrainer;
import io.sparkvae.model.Vae;
import io.sparkvae.provenance.Provenance;
import io.sparkvae.spark.SparkSessionFactory;
import io.sparkvae.testing.LocalCluster;
import io.sparkvae.model.EpochMetrics;
import io.sparkvae.train.SparkTrainer;
import io.sparkvae.spark.TaskThreads;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Trains MNIST nz=20 (the first 50,000 training images) for N epochs single-process and through the train stage's
 * {@link SparkTrainer} with 1 worker on local[1], 2 workers on local[2] and 2 executor JVMs (local-cluster), in one
 * run, and prints images/s of each against the single-process trainer measured before and after the Spark runs.
 *
 * <p>Usage (via scripts/bench-train.sh): {@code TrainScalingBenchmark <workDir> <rawDir> <epochs> <settings>}, settings a comma-separated
 * list of {@code BATCHxFREQ} (minibatch per worker x averaging frequency) or {@code FREQ} (minibatch 100).
 */
public final class TrainScalingBenchmark {
    private TrainScalingBenchmark() {}

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args[0]).toAbsolutePath();
        Path raw = Path.of(args[1]).toAbsolutePath();
        int epochs = Integer.parseInt(args[2]);
        List<Setting> settings = new ArrayList<>();
        for (String token : args[3].split(",")) {
            settings.add(Setting.parse(token.strip()));
        }
        HadoopFiles files = HadoopFiles.withDefaults();
        // The shipped configs' learning-rate scaling: it changes no work, only the val -ELBO column.
        String base = "data.dataset = mnist\nmodel.latent = 20\ntrain.learning-rate-scaling = linear\ntrain.epochs = " + epochs
                + "\ndata.raw = \"" + raw + "\"\n";

        List<String[]> rows = new ArrayList<>();
        singleProcess(raw, 1); // JIT warm-up of the fresh JVM, not counted: the Spark runs start warm
        double before = singleProcess(raw, epochs);
        rows.add(new String[] {"single process (SingleProcessTrainer), before", "100 / -", "-", fmt(before), "1.00"});

        var datasetDir = new org.apache.hadoop.fs.Path(work.resolve("datasets/mnist").toString());
        for (String master : List.of("local[1]", "local[2]", "local-cluster[2,1,4096]")) {
            int workers = master.equals("local[1]") ? 1 : 2;
            for (Setting setting : settings) {
                int freq = setting.frequency();
                JobConfig config = JobConfigLoader.load(base + "train.workers = " + workers + "\ntrain.averaging-frequency = " + freq
                        + "\ntrain.batch-size = " + setting.batch(), "bench", "bench", List.of());
                SparkSession spark = master.startsWith("local-cluster")
                        ? LocalCluster.start("bench", 2, 1, 4096)
                        : SparkSessionFactory.create(master, "bench", List.of());
                try {
                    if (!files.isComplete(datasetDir)) {
                        new DatasetPreparer(spark, files).prepare("mnist", new org.apache.hadoop.fs.Path(raw.toString()), 0, 4,
                                datasetDir, false, Provenance.of("bench", Map.of(), 1, null));
                    }
                    DatasetReader reader = new DatasetReader(spark, files);
                    DatasetManifest manifest = reader.open(datasetDir, config.data());
                    var layout = RunLayout.of(new org.apache.hadoop.fs.Path(work.toString()),
                            master.replaceAll("[^a-z0-9]", "_") + "-" + setting, "mnist");
                    files.delete(layout.dir());
                    var result = new SparkTrainer(spark, files, config).train(reader.split(datasetDir, manifest, "train"),
                            reader.split(datasetDir, manifest, "val"), manifest.shape().size(), TrainingOutputs.of(layout),
                            Provenance.of("bench", config.resolved(), config.seed(), manifest.hash()), false,
                            m -> System.out.println("  " + master + " " + setting + ": " + EpochMetrics.toJsonLines(List.of(m)).strip()));
                    EpochMetrics last = result.history().get(result.history().size() - 1);
                    double ips = result.history().stream().mapToDouble(EpochMetrics::imagesPerSecond).average().orElse(0);
                    rows.add(new String[] {master + ", " + workers + " worker(s)", setting.batch() + " / " + freq,
                            String.format(Locale.ROOT, "%.2f", last.valNegElbo()), fmt(ips), null});
                } finally {
                    spark.stop();
                }
            }
        }
        double after = singleProcess(raw, epochs);
        rows.add(new String[] {"single process (SingleProcessTrainer), after", "100 / -", "-", fmt(after), null});
        double reference = (before + after) / 2;

        System.out.println();
        System.out.printf(Locale.ROOT, "MNIST nz=20, 50,000 training images, %d epoch(s); load average now %s%n",
                epochs, Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        System.out.println("| trainer | minibatch per worker / averaging frequency | val -ELBO | images/s | vs single process |");
        System.out.println("|---|---|---|---|---|");
        for (String[] r : rows) {
            double ips = Double.parseDouble(r[3].replace(",", ""));
            System.out.printf(Locale.ROOT, "| %s | %s | %s | %s | %.2fx |%n", r[0], r[1], r[2], r[3], ips / reference);
        }
    }

    private static double singleProcess(Path raw, int epochs) throws Exception {
        TaskThreads.setThreads(Runtime.getRuntime().availableProcessors()); // Spark runs in this JVM may have lowered it
        IdxImages images = IdxReader.readImages(Files.readAllBytes(raw.resolve("mnist/train-images-idx3-ubyte")), "train-images");
        List<float[]> first = new ArrayList<>();
        for (int i = 0; i < 50_000; i++) {
            first.add(images.image(i));
        }
        INDArray x = PixelMatrix.of(first);
        JobConfig config = JobConfigLoader.load("model.latent = 20", "bench", "bench", List.of());
        Vae vae = Vae.create(SparkTrainer.spec(config, 784));
        var results = new SingleProcessTrainer(vae, 100, config.seed()).train(x, null, epochs, null);
        double ips = results.stream().mapToDouble(r -> r.imagesPerSecond()).average().orElse(0);
        System.out.println("  single process: " + fmt(ips) + " images/s");
        return ips;
    }

    /** One benchmarked setting: minibatch size per worker and averaging frequency, written {@code BATCHxFREQ} or {@code FREQ} (batch 100). */
    record Setting(int batch, int frequency) {
        static Setting parse(String token) {
            String[] parts = token.split("x");
            return parts.length == 2 ? new Setting(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]))
                    : new Setting(100, Integer.parseInt(token));
        }

        @Override
        public String toString() {
            return "b" + batch + "-f" + frequency;
        }
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%,.0f", v);
    }
}

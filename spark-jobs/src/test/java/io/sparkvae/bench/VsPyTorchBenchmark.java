package io.sparkvae.bench;

import io.sparkvae.config.JobConfig;
import io.sparkvae.config.JobConfigLoader;
import io.sparkvae.data.IdxImages;
import io.sparkvae.data.IdxReader;
import io.sparkvae.data.PunkSheet;
import io.sparkvae.data.SpriteSheet;
import io.sparkvae.model.PixelMatrix;
import io.sparkvae.model.SingleProcessTrainer;
import io.sparkvae.model.Vae;
import io.sparkvae.spark.TaskThreads;
import io.sparkvae.train.SparkTrainer;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The Java side of scripts/bench-vs-pytorch.sh (the PyTorch side is scripts/bench/vae_torch.py): writes the images
 * both sides train on, and times our single-process trainer and importance sampling with a given thread count. One
 * JSON object per line on stdout, the same fields as the Python script prints.
 *
 * <pre>
 *   VsPyTorchBenchmark dump RAW OUT                          OUT/{mnist,punks}-{train,test}.f32 (raw float32 [n, dim])
 *   VsPyTorchBenchmark train RAW DATASET NZ THREADS EPOCHS   SingleProcessTrainer, minibatch 100, Adam 1e-3
 *   VsPyTorchBenchmark is RAW DATASET NZ THREADS IMAGES K    Vae.logLikelihood of the first IMAGES test images
 * </pre>
 * DATASET is mnist (the first 50,000 training images, the train stage's split) or punks (punks 0-5999, likewise;
 * test images: MNIST's test file, punks 8000-9999). The model is the shipped configs' (hidden [500], ReLU, Xavier).
 */
public final class VsPyTorchBenchmark {
    private VsPyTorchBenchmark() {}

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        Path raw = Path.of(args[1]);
        switch (mode) {
            case "dump" -> dump(raw, Path.of(args[2]));
            case "train" -> train(load(raw, args[2], true), Integer.parseInt(args[3]), Integer.parseInt(args[4]),
                    Integer.parseInt(args[5]));
            case "is" -> importanceSampling(load(raw, args[2], false), Integer.parseInt(args[3]), Integer.parseInt(args[4]),
                    Integer.parseInt(args[5]), Integer.parseInt(args[6]));
            default -> throw new IllegalArgumentException("mode must be dump, train or is, got " + mode);
        }
    }

    static INDArray load(Path raw, String dataset, boolean train) throws Exception {
        List<float[]> rows = new ArrayList<>();
        switch (dataset) {
            case "mnist" -> {
                String file = train ? "train-images-idx3-ubyte" : "t10k-images-idx3-ubyte";
                IdxImages images = IdxReader.readImages(Files.readAllBytes(raw.resolve("mnist").resolve(file)), file);
                for (int i = 0; i < (train ? 50_000 : 10_000); i++) {
                    rows.add(images.image(i));
                }
            }
            case "punks" -> {
                SpriteSheet sheet = PunkSheet.decode(Files.readAllBytes(raw.resolve("punks").resolve("punks.png")), "punks.png");
                for (int i = train ? 0 : 8000; i < (train ? 6000 : 10_000); i++) {
                    rows.add(sheet.tile(i));
                }
            }
            default -> throw new IllegalArgumentException("dataset must be mnist or punks, got " + dataset);
        }
        return PixelMatrix.of(rows);
    }

    private static void dump(Path raw, Path out) throws Exception {
        Files.createDirectories(out);
        for (String dataset : List.of("mnist", "punks")) {
            for (boolean train : new boolean[] {true, false}) {
                INDArray x = load(raw, dataset, train);
                float[] values = x.data().asFloat();
                Path file = out.resolve(dataset + (train ? "-train" : "-test") + ".f32");
                try (OutputStream os = Files.newOutputStream(file);
                        DataOutputStream data = new DataOutputStream(new BufferedOutputStream(os, 1 << 20))) {
                    for (float v : values) {
                        data.writeInt(Integer.reverseBytes(Float.floatToRawIntBits(v))); // little-endian float32
                    }
                }
                System.out.printf(Locale.ROOT, "{\"file\": \"%s\", \"rows\": %d, \"dim\": %d}%n", file, x.size(0), x.size(1));
            }
        }
    }

    private static Vae model(int inputSize, int nz) {
        JobConfig config = JobConfigLoader.load("model.latent = " + nz, "bench", "bench", List.of());
        return Vae.create(SparkTrainer.spec(config, inputSize));
    }

    private static void train(INDArray x, int nz, int threads, int epochs) {
        TaskThreads.setThreads(threads);
        Vae vae = model((int) x.size(1), nz);
        // The training thread's CPU time per epoch as well: with one thread nearly all the work runs in it, and CPU time
        // suffers less than wall time when other processes share the cores.
        var mx = java.lang.management.ManagementFactory.getThreadMXBean();
        long[] cpuStart = {mx.getCurrentThreadCpuTime()};
        new SingleProcessTrainer(vae, 100, 1).train(x, null, epochs, r -> {
            long cpu = mx.getCurrentThreadCpuTime();
            System.out.printf(Locale.ROOT, "{\"epoch\": %d, \"seconds\": %.4f, \"images_per_second\": %.1f, \"cpu_seconds\": %.4f, "
                    + "\"train_neg_elbo\": %.4f}%n", r.epoch(), r.seconds(), r.imagesPerSecond(), (cpu - cpuStart[0]) / 1e9, r.trainNegElbo());
            cpuStart[0] = cpu;
        });
    }

    private static void importanceSampling(INDArray test, int nz, int threads, int images, int k) {
        TaskThreads.setThreads(threads);
        Vae vae = model((int) test.size(1), nz);
        INDArray x = test.get(NDArrayIndex.interval(0, images), NDArrayIndex.all()).dup();
        vae.logLikelihood(x.get(NDArrayIndex.interval(0, 2), NDArrayIndex.all()).dup(), k, 2); // JIT/buffer warm-up
        long start = System.nanoTime();
        double sum = vae.logLikelihood(x, k, 3).sumNumber().doubleValue();
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "{\"images\": %d, \"k\": %d, \"seconds\": %.4f, \"images_per_second\": %.2f, "
                + "\"mean_log_px\": %.4f}%n", images, k, seconds, images / seconds, sum / images);
        Nd4j.getExecutioner().commit();
    }
}

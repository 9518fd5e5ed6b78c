package io.sparkvae.model;

import io.sparkvae.data.IdxImages;
import io.sparkvae.data.IdxReader;
import io.sparkvae.data.PunkSheet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.variational.BernoulliReconstructionDistribution;
import org.deeplearning4j.nn.conf.layers.variational.VariationalAutoencoder;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;

/**
 * Speed and quality benchmark of the model, run by scripts/bench-model.sh. Every speed figure is measured in the same
 * JVM run as its baseline, so ratios survive a busy machine better than absolute numbers.
 *
 * <p>Modes: {@code speed} (default) and {@code quality [epochs]}. Data: {@code data/raw/mnist}, {@code data/raw/punks}.
 */
public final class ModelBenchmark {

    private static final int BATCH = 100;

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "speed";
        Path root = Path.of(System.getProperty("data.dir", "data/raw"));
        printEnvironment();
        switch (mode) {
            case "speed" -> speed(root, args.length > 1 ? Integer.parseInt(args[1]) : 100);
            case "quality" -> quality(root, args.length > 1 ? Integer.parseInt(args[1]) : 30,
                    args.length > 2 ? args[2] : "mnist,punks2,punks20");
            default -> throw new IllegalArgumentException("mode must be speed or quality, got " + mode);
        }
    }

    private static void printEnvironment() {
        var env = Nd4j.getEnvironment();
        System.out.printf(Locale.ROOT, "# machine: %d cores, %s; ND4J maxThreads=%d, OMP_NUM_THREADS=%s, backend %s%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.arch"), env.maxThreads(),
                System.getenv("OMP_NUM_THREADS"), Nd4j.getBackend().getClass().getSimpleName());
        try {
            Object props = Nd4j.getExecutioner().getEnvironmentInformation();
            System.out.println("# nd4j: " + props);
        } catch (RuntimeException e) {
            System.out.println("# nd4j: (no environment information)");
        }
        System.out.println("# javacpp platform.extension: " + System.getProperty("org.bytedeco.javacpp.platform.extension", "(none)"));
        // Which native binaries JavaCPP actually loaded (the nd4j-native jar's directory names the build).
        org.bytedeco.javacpp.Loader.getLoadedLibraries().forEach((name, path) -> {
            if (name.contains("nd4j") || name.contains("openblas")) {
                System.out.println("# loaded: " + path);
            }
        });
    }

    // ---------------------------------------------------------------------------------------------------------------

    static INDArray mnist(Path root, String file, int count) throws Exception {
        IdxImages images = IdxReader.readImages(Files.readAllBytes(root.resolve("mnist").resolve(file)), file);
        List<float[]> rows = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            rows.add(images.image(i));
        }
        return PixelMatrix.of(rows);
    }

    static INDArray punks(Path root, int from, int to) throws Exception {
        var sheet = PunkSheet.decode(Files.readAllBytes(root.resolve("punks").resolve("punks.png")), "punks.png");
        List<float[]> rows = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            rows.add(sheet.tile(i));
        }
        return PixelMatrix.of(rows);
    }

    private static INDArray rows(INDArray a, int from, int to) {
        return a.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()).dup();
    }

    // ---------------------------------------------------------------------------------------------------------------

    /** One gemm of a training step: C[m, n] = op(A) op(B) with inner dimension k. */
    record Gemm(String what, int m, int n, int k, boolean transA, boolean transB) {
        long flops() {
            return 2L * m * n * k;
        }
    }

    /**
     * The gemms {@link VaeMath#forwardBackward} issues for one minibatch, in order. FLOPs are counted as 2*m*n*k per
     * gemm (multiply + add), forward and backward; the input gradient (never computed) is not counted, nor are the
     * element-wise ops and the optimiser (which the measured step time does include).
     */
    static List<Gemm> stepGemms(VaeParameterLayout l, int b) {
        List<Gemm> g = new ArrayList<>();
        int n = l.hidden.length;
        int in = l.inputSize;
        for (int i = 0; i < n; i++) {
            g.add(new Gemm("fwd enc" + i, b, l.hidden[i], in, false, false));
            in = l.hidden[i];
        }
        g.add(new Gemm("fwd head (mean | log-variance)", b, 2 * l.latentSize, in, false, false));
        in = l.latentSize;
        for (int j = 0; j < n; j++) {
            g.add(new Gemm("fwd dec" + j, b, l.decoderWidth(j), in, false, false));
            in = l.decoderWidth(j);
        }
        g.add(new Gemm("fwd out", b, l.inputSize, in, false, false));
        g.add(new Gemm("bwd dW out", in, l.inputSize, b, true, false));
        g.add(new Gemm("bwd dH out", b, in, l.inputSize, false, true));
        for (int j = n - 1; j >= 0; j--) {
            int fanIn = j == 0 ? l.latentSize : l.decoderWidth(j - 1);
            g.add(new Gemm("bwd dW dec" + j, fanIn, l.decoderWidth(j), b, true, false));
            g.add(new Gemm("bwd dH dec" + j, b, fanIn, l.decoderWidth(j), false, true));
        }
        int top = l.hidden[n - 1];
        g.add(new Gemm("bwd dW head", top, 2 * l.latentSize, b, true, false));
        g.add(new Gemm("bwd dH head", b, top, 2 * l.latentSize, false, true));
        for (int i = n - 1; i >= 0; i--) {
            int fanIn = i == 0 ? l.inputSize : l.hidden[i - 1];
            g.add(new Gemm("bwd dW enc" + i, fanIn, l.hidden[i], b, true, false));
            if (i > 0) {
                g.add(new Gemm("bwd dH enc" + i, b, fanIn, l.hidden[i], false, true));
            }
        }
        return g;
    }

    /** Seconds per training step spent in gemm alone, on the step's exact shapes (best of several rounds). */
    static double gemmSecondsPerStep(List<Gemm> gemms, int reps) {
        return gemmSecondsPerStep(gemms, reps, 5);
    }

    private static final java.util.Map<List<Gemm>, List<INDArray[]>> GEMM_ARRAYS = new java.util.HashMap<>();

    static double gemmSecondsPerStep(List<Gemm> gemms, int reps, int rounds) {
        List<INDArray[]> arrays = GEMM_ARRAYS.computeIfAbsent(gemms, ModelBenchmark::gemmArrays);
        double best = Double.MAX_VALUE;
        for (int round = 0; round < rounds; round++) {
            long start = System.nanoTime();
            for (int r = 0; r < reps; r++) {
                for (int i = 0; i < gemms.size(); i++) {
                    INDArray[] x = arrays.get(i);
                    Nd4j.gemm(x[0], x[1], x[2], gemms.get(i).transA, gemms.get(i).transB, 1.0, 0.0);
                }
            }
            best = Math.min(best, (System.nanoTime() - start) / 1e9 / reps);
        }
        return best;
    }

    private static List<INDArray[]> gemmArrays(List<Gemm> gemms) {
        List<INDArray[]> arrays = new ArrayList<>();
        for (Gemm g : gemms) {
            INDArray a = g.transA ? Nd4j.rand(DataType.FLOAT, g.k, g.m) : Nd4j.rand(DataType.FLOAT, g.m, g.k);
            INDArray b = g.transB ? Nd4j.rand(DataType.FLOAT, g.n, g.k) : Nd4j.rand(DataType.FLOAT, g.k, g.n);
            arrays.add(new INDArray[] {a, b, Nd4j.create(DataType.FLOAT, new long[] {g.m, g.n}, 'f')});
        }
        return arrays;
    }

    /**
     * Interleaves, batch by batch, one training step of ours, the same step's gemms alone, and one pretrain step of
     * DL4J's built-in VAE: all three see the same machine load, so their ratios mean something even on a busy
     * machine. Importance sampling is likewise interleaved with its own decoder gemms.
     */
    private static void speed(Path root, int isImages) throws Exception {
        INDArray train = mnist(root, "train-images-idx3-ubyte", 50_000);
        INDArray test = mnist(root, "t10k-images-idx3-ubyte", 10_000);
        VaeSpec spec = VaeSpec.defaults(784, List.of(500), 20, 1);
        VaeParameterLayout layout = new VaeParameterLayout(784, new int[] {500}, 20);
        List<Gemm> gemms = stepGemms(layout, BATCH);
        long flops = gemms.stream().mapToLong(Gemm::flops).sum();
        Vae vae = Vae.create(spec);
        MultiLayerNetwork net = vae.network();
        MultiLayerNetwork builtIn = builtInVae();
        Nd4j.getRandom().setSeed(1);

        int warmup = 50;
        int batches = 50_000 / BATCH;
        long oursNs = 0;
        long gemmNs = 0;
        long builtInNs = 0;
        long epochStart = System.nanoTime();
        for (int b = 0; b < batches; b++) {
            INDArray batch = rows(train, b * BATCH, (b + 1) * BATCH);
            org.nd4j.linalg.dataset.DataSet ds = Vae.minibatch(batch);
            long t0 = System.nanoTime();
            net.fit(ds);
            long t1 = System.nanoTime();
            gemmSecondsPerStep(gemms, 1, 1);
            long t2 = System.nanoTime();
            builtIn.pretrainLayer(0, batch);
            long t3 = System.nanoTime();
            if (b >= warmup) {
                oursNs += t1 - t0;
                gemmNs += t2 - t1;
                builtInNs += t3 - t2;
            }
        }
        double epochSeconds = (System.nanoTime() - epochStart) / 1e9;
        int measured = (batches - warmup) * BATCH;
        double ours = measured / (oursNs / 1e9);
        double builtInRate = measured / (builtInNs / 1e9);
        double gemmRate = (double) flops * (batches - warmup) / (gemmNs / 1e9);
        double testNegElbo = vae.elbo(test, 1, 7).negElbo().meanNumber().doubleValue();

        // Importance sampling, K = 1000, in calls of 10 images, each followed by its decoder gemms alone.
        List<Gemm> decoderGemms = List.of(new Gemm("dec hidden", 1000, 500, 20, false, false),
                new Gemm("dec logits", 1000, 784, 500, false, false));
        long isFlopsPerImage = decoderGemms.stream().mapToLong(Gemm::flops).sum();
        vae.logLikelihood(rows(test, 0, 2), 1000, 3); // warm-up
        long isNs = 0;
        long isGemmNs = 0;
        double llSum = 0;
        for (int first = 0; first < isImages; first += 10) {
            int to = Math.min(isImages, first + 10);
            INDArray x = rows(test, first, to);
            long t0 = System.nanoTime();
            llSum += vae.logLikelihood(x, 1000, 3 + first).sumNumber().doubleValue();
            long t1 = System.nanoTime();
            gemmSecondsPerStep(decoderGemms, to - first, 1);
            long t2 = System.nanoTime();
            isNs += t1 - t0;
            isGemmNs += t2 - t1;
        }
        double isRate = isImages / (isNs / 1e9);

        System.out.println();
        System.out.printf(Locale.ROOT, "training step gemms: %d, %.1f MFLOP per minibatch of %d (forward+backward, 2*m*n*k each)%n",
                gemms.size(), flops / 1e6, BATCH);
        System.out.printf(Locale.ROOT, "ours: %.0f images/s steady state (batches %d-%d; whole epoch incl. warm-up and the "
                + "interleaved baselines %.0f s), test -ELBO after the epoch %.2f%n", ours, warmup + 1, batches, epochSeconds, testNegElbo);
        System.out.printf(Locale.ROOT, "gemm bound: the step's gemms alone run at %.1f GFLOP/s = %.0f images/s; the training "
                + "step reaches %.0f%% of it%n", gemmRate / 1e9, ours * oursNs / (double) gemmNs, 100.0 * gemmNs / oursNs);
        System.out.printf(Locale.ROOT, "built-in DL4J VariationalAutoencoder (pretrainLayer), same shapes/optimiser: %.0f images/s "
                + "-> ours is %.2fx%n", builtInRate, ours / builtInRate);
        System.out.printf(Locale.ROOT, "importance sampling K=1000: %.1f images/s (%d images, mean log p(x) %.2f) -> 10,000 test "
                + "images in %.0f s; its decoder gemms alone: %.1f GFLOP/s, IS reaches %.0f%% of that bound%n",
                isRate, isImages, llSum / isImages, 10_000 / isRate, isFlopsPerImage * (double) isImages / (isGemmNs / 1e9) / 1e9,
                100.0 * isGemmNs / isNs);
    }

    static MultiLayerNetwork builtInVae() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(1).dataType(DataType.FLOAT).updater(new Adam(1e-3)).weightInit(WeightInit.XAVIER)
                .list()
                .layer(new VariationalAutoencoder.Builder()
                        .nIn(784).nOut(20).encoderLayerSizes(500).decoderLayerSizes(500)
                        .activation(Activation.RELU).pzxActivationFunction(Activation.IDENTITY)
                        .reconstructionDistribution(new BernoulliReconstructionDistribution(Activation.SIGMOID))
                        .build())
                .build());
        net.init();
        return net;
    }

    // ---------------------------------------------------------------------------------------------------------------

    private static void quality(Path root, int epochs, String which) throws Exception {
        System.out.println("| data | nz | epoch | train -ELBO | test -ELBO | images/s |");
        System.out.println("|---|---|---|---|---|---|");
        for (String run : which.split(",")) {
            INDArray train;
            INDArray test;
            int nz;
            if (run.equals("mnist")) {
                train = mnist(root, "train-images-idx3-ubyte", 50_000);
                test = mnist(root, "t10k-images-idx3-ubyte", 10_000);
                nz = 20;
            } else {
                train = punks(root, 0, 6000);
                test = punks(root, 8000, 10_000);
                nz = Integer.parseInt(run.substring("punks".length()));
            }
            Vae vae = Vae.create(VaeSpec.defaults((int) train.size(1), List.of(500), nz, 1));
            String name = run.startsWith("punks") ? "punks" : "mnist";
            INDArray testSet = test;
            new SingleProcessTrainer(vae, BATCH, 1).train(train, null, epochs, r -> {
                double testNegElbo = vae.elbo(testSet, 1, 1000 + r.epoch()).negElbo().meanNumber().doubleValue();
                System.out.printf(Locale.ROOT, "| %s | %d | %d | %.2f | %.2f | %.0f |%n", name, nz, r.epoch(), r.trainNegElbo(),
                        testNegElbo, r.imagesPerSecond());
            });
        }
    }
}

package io.sparkvae.bench;

import com.sun.jna.Function;
import com.sun.jna.Memory;
import com.sun.jna.NativeLibrary;
import io.sparkvae.io.Json;
import io.sparkvae.spark.TaskThreads;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Which BLAS our trainers run and how fast it multiplies at the training step's shapes, as one JSON line: the Java
 * side of scripts/bench-vs-pytorch.sh's baseline check (scripts/bench/blas_probe.py is PyTorch's side).
 *
 * <p>It asks the OpenBLAS library ND4J calls (found in {@code /proc/self/maps} once ND4J is loaded) for {@code openblas_get_config()} and {@code openblas_get_corename()}, then times, with
 * one thread, ND4J's gemm (what the trainer runs) and that library's {@code cblas_sgemm} directly, both at
 * [100 x 784] x [784 x 500] (MNIST's first layer at minibatch 100). The C calls go through JNA, which ND4J already
 * brings (oshi): the JavaCPP OpenBLAS preset has no binding for the two info functions.
 *
 * <pre>  BlasProbe [M K N]   (default 100 784 500)</pre>
 */
public final class BlasProbe {
    private static final int CBLAS_ROW_MAJOR = 101;
    private static final int CBLAS_NO_TRANS = 111;
    /** Each pass takes about this long: enough calls that its median is steady, few enough to stay quick. */
    private static final double SECONDS_PER_PASS = 0.4;
    private static final int PASSES = 3;

    private BlasProbe() {}

    public static void main(String[] args) throws Exception {
        int m = args.length == 3 ? Integer.parseInt(args[0]) : 100;
        int k = args.length == 3 ? Integer.parseInt(args[1]) : 784;
        int n = args.length == 3 ? Integer.parseInt(args[2]) : 500;
        TaskThreads.setThreads(1);
        INDArray a = Nd4j.rand(DataType.FLOAT, m, k);
        INDArray b = Nd4j.rand(DataType.FLOAT, k, n);
        INDArray c = Nd4j.create(DataType.FLOAT, m, n);
        double flops = 2.0 * m * k * n;
        double nd4j = flops / medianSeconds(() -> Nd4j.gemm(a, b, c, false, false, 1.0, 0.0)) / 1e9;

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("side", "ours");
        out.put("shape", m + "x" + k + " by " + k + "x" + n);
        out.put("threads", 1);
        out.put("nd4j_backend", Nd4j.getBackend().getClass().getName());
        out.put("nd4j_jar", jarOf(Nd4j.class));
        out.put("nd4j_native_jar", jarOf(Nd4j.getBackend().getClass()));
        out.put("openblas_jar", jarOf(Class.forName("org.bytedeco.openblas.global.openblas_nolapack")));
        out.put("environment", new java.util.TreeMap<>(Map.of("OPENBLAS_CORETYPE", env("OPENBLAS_CORETYPE"), "OPENBLAS_L2_SIZE", env("OPENBLAS_L2_SIZE"),
                "OPENBLAS_NUM_THREADS", env("OPENBLAS_NUM_THREADS"))));
        List<String> blas = mappedBlas();
        out.put("mapped_blas", blas);
        // ND4J calls OpenBLAS through JavaCPP's openblas_nolapack binding, which links libopenblas_nolapack.so.0 (the
        // openblas binding maps an identical libopenblas.so.0 beside it, which ND4J never calls).
        String openblas = blas.stream().filter(p -> p.contains("openblas_nolapack")).findFirst()
                .or(() -> blas.stream().filter(p -> p.contains("openblas")).findFirst()).orElse(null);
        if (openblas != null) {
            NativeLibrary lib = NativeLibrary.getInstance(openblas);
            out.put("library", openblas);
            out.put("openblas_config", lib.getFunction("openblas_get_config").invokeString(new Object[0], false).strip());
            out.put("openblas_corename", lib.getFunction("openblas_get_corename").invokeString(new Object[0], false).strip());
            out.put("openblas_threads", lib.getFunction("openblas_get_num_threads").invokeInt(new Object[0]));
            out.put("cblas_sgemm_gflops", round(flops / cblasSeconds(lib.getFunction("cblas_sgemm"), m, k, n) / 1e9));
        } else {
            out.put("library", blas.isEmpty() ? "(none found in /proc/self/maps)" : blas.get(0));
            out.put("openblas_config", "(not OpenBLAS)");
        }
        out.put("gemm_gflops", round(nd4j));
        System.out.println(Json.writeLine(out));
    }

    /** Times cblas_sgemm on native buffers (no copies per call) of the given shapes. */
    private static double cblasSeconds(Function sgemm, int m, int k, int n) {
        Memory a = filled(m * k);
        Memory b = filled(k * n);
        Memory c = new Memory((long) m * n * Float.BYTES);
        Object[] call = {CBLAS_ROW_MAJOR, CBLAS_NO_TRANS, CBLAS_NO_TRANS, m, n, k, 1.0f, a, k, b, n, 0.0f, c, n};
        return medianSeconds(() -> sgemm.invokeVoid(call));
    }

    private static Memory filled(int floats) {
        Memory mem = new Memory((long) floats * Float.BYTES);
        java.util.Random random = new java.util.Random(1);
        for (int i = 0; i < floats; i++) {
            mem.setFloat((long) i * Float.BYTES, random.nextFloat());
        }
        return mem;
    }

    /**
     * The median seconds of one call after a warm-up: the best of {@link #PASSES} passes of about
     * {@link #SECONDS_PER_PASS} each, so a moment of load from elsewhere does not pass for a slow BLAS.
     */
    static double medianSeconds(Runnable call) {
        timedMedian(call); // warm-up: JIT, buffers, OpenBLAS's first-call set-up
        double best = Double.MAX_VALUE;
        for (int pass = 0; pass < PASSES; pass++) {
            best = Math.min(best, timedMedian(call));
        }
        return best;
    }

    private static double timedMedian(Runnable call) {
        List<Double> times = new ArrayList<>();
        long deadline = System.nanoTime() + (long) (SECONDS_PER_PASS * 1e9);
        while (times.size() < 5 || System.nanoTime() < deadline) {
            long start = System.nanoTime();
            call.run();
            times.add((System.nanoTime() - start) / 1e9);
        }
        double[] sorted = times.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return sorted[sorted.length / 2];
    }

    /** The BLAS/LAPACK shared libraries mapped into this process, in first-mapped order. */
    private static List<String> mappedBlas() throws Exception {
        List<String> found = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
            String[] parts = line.trim().split("\\s+");
            String file = parts[parts.length - 1];
            String name = file.substring(file.lastIndexOf('/') + 1);
            if (file.startsWith("/") && name.contains("blas") && !name.contains("jni") && !found.contains(file)) {
                found.add(file);
            }
        }
        return found;
    }

    private static String jarOf(Class<?> type) {
        var source = type.getProtectionDomain().getCodeSource();
        if (source == null) {
            return "(unknown)";
        }
        String path = source.getLocation().getPath();
        return path.substring(path.lastIndexOf('/') + 1);
    }

    private static String env(String name) {
        return System.getenv().getOrDefault(name, "(unset)");
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }
}

package io.sparkvae.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Runs an exported graph in ONNX Runtime's Java API: one float matrix in, every output back as rows. */
final class OnnxRuntimeGraphs {
    private OnnxRuntimeGraphs() {}

    /** The outputs of the graph in {@code file} for {@code rows} fed to its input {@code input}, by output name. */
    static Map<String, float[][]> run(Path file, String input, float[][] rows) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        FloatBuffer flat = FloatBuffer.allocate(rows.length * rows[0].length);
        for (float[] r : rows) {
            flat.put(r);
        }
        flat.flip();
        try (OrtSession s = env.createSession(file.toString(), new OrtSession.SessionOptions());
             OnnxTensor t = OnnxTensor.createTensor(env, flat, new long[] {rows.length, rows[0].length});
             OrtSession.Result r = s.run(Map.of(input, t))) {
            Map<String, float[][]> out = new LinkedHashMap<>();
            for (Map.Entry<String, ai.onnxruntime.OnnxValue> e : r) {
                out.put(e.getKey(), (float[][]) e.getValue().getValue());
            }
            return out;
        }
    }

    /** The largest absolute difference; fails naming the first value further apart than {@code tolerance}. */
    static double assertClose(double[][] expected, float[][] actual, double tolerance, String what) {
        if (expected.length != actual.length) {
            throw new AssertionError(what + ": " + expected.length + " rows expected, ONNX Runtime gave " + actual.length);
        }
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            if (expected[i].length != actual[i].length) {
                throw new AssertionError(what + ": row " + i + " has " + actual[i].length + " values, not " + expected[i].length);
            }
            for (int j = 0; j < expected[i].length; j++) {
                double d = Math.abs(expected[i][j] - actual[i][j]);
                if (!(d <= tolerance)) {
                    throw new AssertionError(what + "[" + i + "][" + j + "]: JVM " + expected[i][j] + ", ONNX Runtime " + actual[i][j]);
                }
                worst = Math.max(worst, d);
            }
        }
        System.out.printf("%s: %d rows agree, largest difference %.3g%n", what, expected.length, worst);
        return worst;
    }
}

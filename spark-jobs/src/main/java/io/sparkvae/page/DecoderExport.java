package io.sparkvae.page;

import io.sparkvae.model.DenseWeights;
import io.sparkvae.model.Vae;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The decoder's weights as the page ships them: half precision when that keeps every probed pixel within
 * {@link #HALF_TOLERANCE} of the JVM decoder (it halves the page; the 500-unit punks decoder is 0.87 M weights), else
 * float32. Biases are always float32. Little-endian, base64.
 *
 * @param precision    {@code float16} or {@code float32}
 * @param maxDeviation the largest difference, over the probes and pixels, between the page's arithmetic on the
 *                     shipped weights and {@link Vae#decode}
 */
public record DecoderExport(String activation, int latentSize, String precision, List<DenseWeights> layers,
                            double maxDeviation) {
    /** Half of one 8-bit step: a pixel can then be off by at most one level after rounding. */
    static final double HALF_TOLERANCE = 0.5 / 255;

    /** Exports {@code vae}'s decoder, probing it at {@code probes} (latent points; at least one). */
    public static DecoderExport of(Vae vae, List<float[]> probes) {
        String activation = vae.spec().activation();
        List<DenseWeights> exact = vae.decoderLayers();
        float[][] reference = reference(vae, probes);
        List<DenseWeights> half = exact.stream().map(DecoderExport::roundedToHalf).toList();
        double halfDeviation = deviation(new PlainDecoder(half, activation), probes, reference);
        if (halfDeviation <= HALF_TOLERANCE) {
            return new DecoderExport(activation, vae.spec().latentSize(), "float16", half, halfDeviation);
        }
        return new DecoderExport(activation, vae.spec().latentSize(), "float32", exact,
                deviation(new PlainDecoder(exact, activation), probes, reference));
    }

    /** The decoder the page runs (the shipped weights, the page's arithmetic). */
    public double[] decode(float[] z) {
        return new PlainDecoder(layers, activation).decode(z);
    }

    /** What the page's script reads: activation, latent size, precision and per layer its shape and base64 arrays. */
    public Map<String, Object> toJson() {
        List<Map<String, Object>> ls = new ArrayList<>();
        for (DenseWeights l : layers) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("in", l.in());
            m.put("out", l.out());
            m.put("w", "float16".equals(precision) ? halfBase64(l.weights()) : floatBase64(l.weights()));
            m.put("b", floatBase64(l.bias()));
            ls.add(m);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("activation", activation);
        m.put("latent", latentSize);
        m.put("precision", precision);
        m.put("max_deviation", maxDeviation);
        m.put("layers", ls);
        return m;
    }

    private static float[][] reference(Vae vae, List<float[]> probes) {
        float[][] z = probes.toArray(float[][]::new);
        return vae.decode(Nd4j.create(z).castTo(DataType.FLOAT)).toFloatMatrix();
    }

    private static double deviation(PlainDecoder decoder, List<float[]> probes, float[][] reference) {
        double max = 0;
        for (int p = 0; p < probes.size(); p++) {
            double[] got = decoder.decode(probes.get(p));
            for (int i = 0; i < got.length; i++) {
                max = Math.max(max, Math.abs(got[i] - reference[p][i]));
            }
        }
        return max;
    }

    private static DenseWeights roundedToHalf(DenseWeights l) {
        float[] w = new float[l.weights().length];
        for (int i = 0; i < w.length; i++) {
            w[i] = HalfFloats.toFloat(HalfFloats.toHalf(l.weights()[i]));
        }
        return new DenseWeights(l.in(), l.out(), w, l.bias());
    }

    private static String halfBase64(float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putShort(HalfFloats.toHalf(v));
        }
        return Base64.getEncoder().encodeToString(b.array());
    }

    private static String floatBase64(float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return Base64.getEncoder().encodeToString(b.array());
    }
}

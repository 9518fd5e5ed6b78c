package io.sparkvae.page;

import io.sparkvae.model.DenseWeights;
import io.sparkvae.model.Vae;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.Deflater;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The decoder's weights as the page ships them: half precision when that keeps every probed pixel within
 * {@link #HALF_TOLERANCE} of the JVM decoder (it halves the page; the 500-unit punks decoder is 0.87 M weights), else
 * float32. Half precision is then rounded to fewer of its 10 mantissa bits (down to {@link #MIN_MANTISSA_BITS}) as
 * long as every probed pixel stays within {@link #TRIM_TOLERANCE}, a quarter of a level, leaving the other quarter
 * as margin for points between the probes: each bit dropped takes about 7% off the weights' bytes. Biases are always float32, little-endian, base64. The weights are packed losslessly: their bytes split into
 * planes (every value's byte 0, then every value's byte 1, ...), deflated (zlib), base64; the planes of exponents
 * compress well, which takes about a sixth off the page's largest part. The page's script inflates them with the
 * browser's {@code DecompressionStream}.
 *
 * @param precision    {@code float16} or {@code float32}
 * @param mantissaBits the mantissa bits the shipped values keep (10 of float16's, or 23: float32's all)
 * @param maxDeviation the largest difference, over the probes and pixels, between the page's arithmetic on the
 *                     shipped weights and {@link Vae#decode}
 */
public record DecoderExport(String activation, int latentSize, String precision, int mantissaBits, List<DenseWeights> layers,
                            double maxDeviation) {
    /** Half of one 8-bit step: a pixel can then be off by at most one level after rounding. */
    static final double HALF_TOLERANCE = 0.5 / 255;
    /** How far rounding off mantissa bits may move a probed pixel. */
    static final double TRIM_TOLERANCE = 0.25 / 255;
    static final int MIN_MANTISSA_BITS = 4;

    /** Exports {@code vae}'s decoder, probing it at {@code probes} (latent points; at least one). */
    public static DecoderExport of(Vae vae, List<float[]> probes) {
        String activation = vae.spec().activation();
        List<DenseWeights> exact = vae.decoderLayers();
        float[][] reference = reference(vae, probes);
        List<DenseWeights> half = rounded(exact, 10);
        double halfDeviation = deviation(new PlainDecoder(half, activation), probes, reference);
        if (halfDeviation > HALF_TOLERANCE) {
            return new DecoderExport(activation, vae.spec().latentSize(), "float32", 23, exact,
                    deviation(new PlainDecoder(exact, activation), probes, reference));
        }
        int bits = 10;
        for (int m = 9; m >= MIN_MANTISSA_BITS; m--) {
            List<DenseWeights> fewer = rounded(exact, m);
            double d = deviation(new PlainDecoder(fewer, activation), probes, reference);
            if (d > TRIM_TOLERANCE) {
                break;
            }
            bits = m;
            half = fewer;
            halfDeviation = d;
        }
        return new DecoderExport(activation, vae.spec().latentSize(), "float16", bits, half, halfDeviation);
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
            m.put("w", Base64.getEncoder().encodeToString(packed("float16".equals(precision) ? halfBytes(l.weights()) : floatBytes(l.weights()),
                    "float16".equals(precision) ? 2 : 4)));
            m.put("b", floatBase64(l.bias()));
            ls.add(m);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("activation", activation);
        m.put("latent", latentSize);
        m.put("precision", precision);
        m.put("mantissa_bits", mantissaBits);
        m.put("max_deviation", maxDeviation);
        m.put("weights", "deflate of byte planes");
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

    /** The layers' weights as float16 values rounded to {@code bits} mantissa bits (biases untouched). */
    private static List<DenseWeights> rounded(List<DenseWeights> layers, int bits) {
        return layers.stream().map(l -> {
            float[] w = new float[l.weights().length];
            for (int i = 0; i < w.length; i++) {
                w[i] = HalfFloats.toFloat(HalfFloats.roundMantissa(HalfFloats.toHalf(l.weights()[i]), bits));
            }
            return new DenseWeights(l.in(), l.out(), w, l.bias());
        }).toList();
    }

    /** What the page says about the shipped weights. */
    public String describe() {
        return mantissaBits < 10 && "float16".equals(precision) ? "float16 rounded to " + mantissaBits + " of its 10 mantissa bits" : precision;
    }

    private static byte[] halfBytes(float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putShort(HalfFloats.toHalf(v));
        }
        return b.array();
    }

    private static byte[] floatBytes(float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }

    private static String floatBase64(float[] values) {
        return Base64.getEncoder().encodeToString(floatBytes(values));
    }

    /** {@code bytes} (values of {@code width} bytes each) as byte planes, deflated in zlib's format. */
    static byte[] packed(byte[] bytes, int width) {
        int n = bytes.length / width;
        byte[] planes = new byte[bytes.length];
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < width; p++) {
                planes[p * n + i] = bytes[i * width + p];
            }
        }
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
        try (ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length)) {
            deflater.setInput(planes);
            deflater.finish();
            byte[] buffer = new byte[1 << 16];
            while (!deflater.finished()) {
                out.write(buffer, 0, deflater.deflate(buffer));
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deflater.end();
        }
    }
}

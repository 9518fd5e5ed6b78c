package io.sparkvae.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import com.fasterxml.jackson.databind.JsonNode;
import io.sparkvae.data.IdxImages;
import io.sparkvae.data.IdxReader;
import io.sparkvae.data.ImageShape;
import io.sparkvae.data.PunkSheet;
import io.sparkvae.data.SpriteSheet;
import io.sparkvae.io.HadoopFiles;
import io.sparkvae.io.Json;
import io.sparkvae.model.PixelMatrix;
import io.sparkvae.model.Posterior;
import io.sparkvae.model.SingleProcessTrainer;
import io.sparkvae.model.Vae;
import io.sparkvae.model.VaeSpec;
import io.sparkvae.model.VaeStore;
import io.sparkvae.provenance.Provenance;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import onnx.Onnx.ModelProto;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The exported graphs run in ONNX Runtime (Microsoft's runtime, not ours) and give what the JVM model gives: the
 * posterior's mean and log-variance of {@code Vae.encode} and the Bernoulli means of {@code Vae.decode} (the decoder
 * the render and generate stages draw with), within 1e-5, on every MNIST test image and every punks test image
 * (sheet indices 8000-9999, the preset's test split). Real architectures (784-500-20, 784-500-2, 1728-500-2 on RGB),
 * trained one epoch on a few hundred images so the weights are not just their initialisation. Reads data/raw, so the
 * quick profile (no data) leaves it out.
 */
@Tag("data")
class VaeOnnxTest {
    static final double TOLERANCE = 1e-5;
    private static final Path RAW = Path.of("..", "data", "raw");
    private static final HadoopFiles FILES = HadoopFiles.withDefaults();

    @TempDir
    Path tmp;

    @Test
    void mnistTwentyDimensionalModelAgreesOnAllTenThousandTestImages() throws Exception {
        Vae vae = trained(VaeSpec.defaults(784, List.of(500), 20, 11), mnist("train-images-idx3-ubyte", 300));
        Exported e = export(vae, new ImageLayout(new ImageShape(28, 28, 1), null));
        agree(vae, e, mnist("t10k-images-idx3-ubyte", 10_000));
        JsonNode m = e.description();
        assertEquals(28, m.path("image").path("height").asInt());
        assertEquals(1, m.path("image").path("channels").asInt());
        assertTrue(m.path("image").path("background").isNull(), "IDX images have no background: " + m.path("image"));
        assertEquals(20, m.path("latent_size").asInt());
    }

    @Test
    void mnistTwoDimensionalModelAgreesOnAllTenThousandTestImages() throws Exception {
        Vae vae = Vae.create(VaeSpec.defaults(784, List.of(500), 2, 5)); // untrained: Xavier weights, zero biases
        agree(vae, export(vae, new ImageLayout(new ImageShape(28, 28, 1), null)), mnist("t10k-images-idx3-ubyte", 10_000));
    }

    @Test
    void punksRgbModelAgreesOnAllTwoThousandTestPunks() throws Exception {
        SpriteSheet sheet = PunkSheet.decode(Files.readAllBytes(raw("punks/punks.png")), "punks.png");
        float[][] train = new float[300][];
        for (int i = 0; i < train.length; i++) {
            train[i] = sheet.tile(i * 20); // spread over the training range 0-5999
        }
        float[][] test = new float[2000][];
        for (int i = 0; i < test.length; i++) {
            test[i] = sheet.tile(8000 + i);
        }
        Vae vae = trained(VaeSpec.defaults(1728, List.of(500), 2, 3), PixelMatrix.of(train));
        Exported e = export(vae, new ImageLayout(PunkSheet.SHAPE, "#000000"));
        agree(vae, e, PixelMatrix.of(test));
        JsonNode image = e.description().path("image");
        assertEquals(List.of(24, 24, 3, 1728), List.of(image.path("height").asInt(), image.path("width").asInt(),
                image.path("channels").asInt(), image.path("values").asInt()));
        assertEquals("#000000", image.path("background").asText());
        assertEquals("HWC", image.path("pixel_order").asText());
    }

    @Test
    void tanhModelWithTwoHiddenLayersAgrees() throws Exception {
        Vae vae = Vae.create(new VaeSpec(784, List.of(64, 32), 5, "tanh", "normal", "adagrad", 0.01, 9));
        agree(vae, export(vae, new ImageLayout(null, null)), mnist("t10k-images-idx3-ubyte", 1000));
    }

    @Test
    void graphsDeclareTheirInterfaceOpsetAndProvenance() throws Exception {
        Vae vae = Vae.create(VaeSpec.defaults(784, List.of(500), 20, 5));
        Exported e = export(vae, new ImageLayout(new ImageShape(28, 28, 1), null));
        ModelProto encoder = ModelProto.parseFrom(Files.readAllBytes(e.dir().resolve(OnnxExport.ENCODER)));
        assertTrue(encoder.getOpsetImport(0).getVersion() >= 13, encoder.getOpsetImportList().toString());
        assertEquals("", encoder.getOpsetImport(0).getDomain());
        // Weights and biases of the hidden layer and the head, and the split sizes: all initializers, no graph inputs.
        assertEquals(List.of("encoder0.W", "encoder0.b", "head.W", "head.b", "head.split"),
                encoder.getGraph().getInitializerList().stream().map(t -> t.getName()).toList());
        assertEquals(1, encoder.getGraph().getInputCount());
        Map<String, String> meta = new java.util.HashMap<>();
        encoder.getMetadataPropsList().forEach(p -> meta.put(p.getKey(), p.getValue()));
        assertEquals(VaeStore.identity(vae), meta.get("model_sha256"));
        assertEquals("HWC", meta.get("pixel_order"));

        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession s = env.createSession(e.dir().resolve(OnnxExport.ENCODER).toString(), new OrtSession.SessionOptions())) {
            TensorInfo in = (TensorInfo) s.getInputInfo().get(VaeOnnx.PIXELS).getInfo();
            assertEquals(-1, in.getShape()[0], "the batch dimension is dynamic");
            assertEquals(784, in.getShape()[1]);
            Map<String, NodeInfo> outs = s.getOutputInfo();
            assertEquals(List.of(VaeOnnx.LATENT_MEAN, VaeOnnx.LATENT_LOG_VAR), List.copyOf(outs.keySet()));
            assertEquals(VaeStore.identity(vae), s.getMetadata().getCustomMetadata().get("model_sha256"));
        }
        try (OrtSession s = env.createSession(e.dir().resolve(OnnxExport.DECODER).toString(), new OrtSession.SessionOptions())) {
            assertEquals(List.of(VaeOnnx.Z), List.copyOf(s.getInputInfo().keySet()));
            assertEquals(List.of(VaeOnnx.DECODED), List.copyOf(s.getOutputInfo().keySet()));
        }
        JsonNode m = e.description();
        assertEquals(VaeStore.identity(vae), m.path("provenance").path("modelSha256").asText());
        assertEquals("ds", m.path("provenance").path("datasetSha256").asText());
        assertEquals(5, m.path("provenance").path("seed").asLong());
        assertTrue(m.path("provenance").path("config").has("model"), m.path("provenance").toString());
        assertTrue(m.path("provenance").has("gitCommit"));
        assertEquals(List.of("N", "784"), List.of(m.path("encoder").path("inputs").path("pixels").get(0).asText(),
                m.path("encoder").path("inputs").path("pixels").get(1).asText()));
        assertTrue(m.path("opset").asInt() >= 13);
    }

    @Test
    void imagesOfAnotherSizeThanTheModelAreRefused() {
        Vae vae = Vae.create(VaeSpec.defaults(784, List.of(8), 2, 5));
        RuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class,
                () -> export(vae, new ImageLayout(new ImageShape(24, 24, 3), null)));
        assertTrue(e.getMessage().contains("784") && e.getMessage().contains("24x24x3"), e.getMessage());
        assertNull(tmp.resolve("export").toFile().listFiles(), "nothing written");
    }

    // -----------------------------------------------------------------------------------------------------------

    /** An export's folder and its parsed model.json. */
    record Exported(Path dir, JsonNode description) {}

    private Exported export(Vae vae, ImageLayout image) throws IOException {
        Path dir = tmp.resolve("export");
        Provenance p = Provenance.of("onnx-test", Map.of("model", Map.of("latent", vae.spec().latentSize())), vae.spec().seed(), "ds")
                .withModelSha256(VaeStore.identity(vae));
        OnnxExport.writeCommitted(vae, image, p, FILES.path(dir.toString()), FILES, true);
        assertTrue(Files.exists(dir.resolve(HadoopFiles.SUCCESS)));
        return new Exported(dir, Json.mapper().readTree(Files.readString(dir.resolve(OnnxExport.DESCRIPTION))));
    }

    /** Encoder and decoder outputs of ONNX Runtime equal the JVM's on {@code x}, at the posterior means and prior draws. */
    private static void agree(Vae vae, Exported e, INDArray x) throws OrtException {
        int n = (int) x.size(0);
        int nz = vae.spec().latentSize();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Posterior jvm = vae.encode(x);
        float[][] mean;
        try (OrtSession s = env.createSession(e.dir().resolve(OnnxExport.ENCODER).toString(), new OrtSession.SessionOptions())) {
            Map<String, float[][]> out = run(env, s, VaeOnnx.PIXELS, x.toFloatMatrix());
            mean = out.get(VaeOnnx.LATENT_MEAN);
            assertClose(jvm.mean().toFloatMatrix(), mean, "latent_mean");
            assertClose(jvm.logVariance().toFloatMatrix(), out.get(VaeOnnx.LATENT_LOG_VAR), "latent_log_var");
            // One row alone gives the same numbers: the batch dimension is free.
            assertClose(new float[][] {mean[n - 1]},
                    run(env, s, VaeOnnx.PIXELS, new float[][] {x.getRow(n - 1).toFloatVector()}).get(VaeOnnx.LATENT_MEAN), "one row");
        }
        float[][] prior = new float[n][nz];
        Random rnd = new Random(1);
        for (float[] row : prior) {
            for (int j = 0; j < nz; j++) {
                row[j] = (float) rnd.nextGaussian();
            }
        }
        try (OrtSession s = env.createSession(e.dir().resolve(OnnxExport.DECODER).toString(), new OrtSession.SessionOptions())) {
            for (float[][] z : List.of(mean, prior)) {
                float[][] onnx = run(env, s, VaeOnnx.Z, z).get(VaeOnnx.DECODED);
                assertClose(vae.decode(PixelMatrix.of(z)).toFloatMatrix(), onnx, "decoded pixels");
            }
        }
    }

    private static Map<String, float[][]> run(OrtEnvironment env, OrtSession s, String input, float[][] rows) throws OrtException {
        int columns = rows[0].length;
        FloatBuffer flat = FloatBuffer.allocate(rows.length * columns);
        for (float[] r : rows) {
            flat.put(r);
        }
        flat.flip();
        try (OnnxTensor t = OnnxTensor.createTensor(env, flat, new long[] {rows.length, columns});
             OrtSession.Result r = s.run(Map.of(input, t))) {
            Map<String, float[][]> out = new java.util.LinkedHashMap<>();
            r.forEach(entry -> {
                try {
                    out.put(entry.getKey(), (float[][]) entry.getValue().getValue());
                } catch (OrtException ex) {
                    throw new IllegalStateException(ex);
                }
            });
            return out;
        }
    }

    /** Same shape, every value within {@link #TOLERANCE}, and not all alike (the comparison has something to compare). */
    static void assertClose(float[][] expected, float[][] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": rows");
        double worst = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i].length, actual[i].length, what + ": columns of row " + i);
            for (int j = 0; j < expected[i].length; j++) {
                double d = Math.abs(expected[i][j] - actual[i][j]);
                if (!(d <= TOLERANCE)) {
                    throw new AssertionError(what + "[" + i + "][" + j + "]: JVM " + expected[i][j] + ", ONNX Runtime " + actual[i][j]);
                }
                worst = Math.max(worst, d);
                min = Math.min(min, expected[i][j]);
                max = Math.max(max, expected[i][j]);
            }
        }
        assertTrue(max - min > 1e-3, what + " is constant (" + min + "): nothing was compared");
        System.out.printf("%s: %d rows, values in [%.4f, %.4f], largest difference %.3g%n", what, expected.length, min, max, worst);
    }

    private static Vae trained(VaeSpec spec, INDArray train) {
        Vae vae = Vae.create(spec);
        new SingleProcessTrainer(vae, 100, spec.seed()).train(train, null, 1, null);
        return vae;
    }

    private static INDArray mnist(String file, int n) throws IOException {
        IdxImages images = IdxReader.readImages(Files.readAllBytes(raw("mnist/" + file)), file);
        float[][] rows = new float[n][];
        for (int i = 0; i < n; i++) {
            rows[i] = images.image(i);
        }
        return PixelMatrix.of(rows);
    }

    /** A raw file; fails (never skips) when it is missing. */
    private static Path raw(String relative) {
        Path p = RAW.resolve(relative);
        assertTrue(Files.isRegularFile(p), () -> "missing " + p.toAbsolutePath().normalize() + ": run scripts/fetch-data.sh first");
        return p;
    }
}

package io.sparkvae.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sparkvae.data.IdxImages;
import io.sparkvae.data.IdxReader;
import io.sparkvae.data.ImageShape;
import io.sparkvae.data.PunkSheet;
import io.sparkvae.data.SpriteSheet;
import io.sparkvae.io.BadInputException;
import io.sparkvae.io.HadoopFiles;
import io.sparkvae.io.Json;
import io.sparkvae.ml.VaeModel;
import io.sparkvae.model.PixelMatrix;
import io.sparkvae.model.SingleProcessTrainer;
import io.sparkvae.model.Vae;
import io.sparkvae.model.VaeSpec;
import io.sparkvae.model.VaeStore;
import io.sparkvae.provenance.Provenance;
import io.sparkvae.testing.LocalSpark;
import io.sparkvae.testing.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code VaeModel.exportOnnx} checked by ONNX Runtime against {@code VaeModel.transform} on a real local Spark session:
 * the encoder's latent mean and log-variance equal the model's columns, and the decoder at those means equals the
 * model's reconstructions (the JVM decoder, the one the render stage draws with), within 1e-5, on all 10,000 MNIST
 * test images (a 20-D model) and all 2,000 punks test images (a 2-D model of RGB images).
 */
@Tag("spark")
class OnnxVsVaeModelTest {
    static final double TOLERANCE = 1e-5;
    private static final HadoopFiles FILES = HadoopFiles.withDefaults();
    private static SparkSession spark;

    @TempDir
    Path tmp;

    @BeforeAll
    static void setUp() {
        spark = LocalSpark.start("onnx");
    }

    @AfterAll
    static void tearDown() {
        spark.stop();
    }

    @Test
    void mnistTwentyDimensionalModelOnAllTenThousandTestImages() throws Exception {
        float[][] test = mnist("t10k-images-idx3-ubyte", 10_000);
        VaeModel model = saved(VaeSpec.defaults(784, List.of(500), 20, 17), mnist("train-images-idx3-ubyte", 300));
        Path export = tmp.resolve("mnist-onnx");
        model.exportOnnx(export.toString(), new ImageShape(28, 28, 1));
        agree(model, export, test);

        JsonNode m = Json.mapper().readTree(Files.readString(export.resolve(OnnxExport.DESCRIPTION)));
        assertEquals(28, m.path("image").path("width").asInt());
        assertEquals(model.loaded().provenance().modelSha256(), m.path("provenance").path("modelSha256").asText());
        BadInputException again = assertThrows(BadInputException.class, () -> model.exportOnnx(export.toString()));
        assertTrue(again.getMessage().contains("already exists") && again.getMessage().contains("mnist-onnx"), again.getMessage());

        // Without a shape the export still runs; model.json then says only how many values an image has.
        Path bare = tmp.resolve("bare");
        model.exportOnnx(bare.toString());
        JsonNode image = Json.mapper().readTree(Files.readString(bare.resolve(OnnxExport.DESCRIPTION))).path("image");
        assertTrue(image.path("height").isNull() && image.path("values").asInt() == 784, image.toString());
    }

    @Test
    void punksRgbTwoDimensionalModelOnAllTwoThousandTestPunks() throws Exception {
        SpriteSheet sheet = PunkSheet.decode(Files.readAllBytes(TestData.rawDir().resolve("punks/punks.png")), "punks.png");
        float[][] train = new float[300][];
        for (int i = 0; i < train.length; i++) {
            train[i] = sheet.tile(i * 20);
        }
        float[][] test = new float[2000][];
        for (int i = 0; i < test.length; i++) {
            test[i] = sheet.tile(8000 + i); // the punks preset's test split
        }
        VaeModel model = saved(VaeSpec.defaults(1728, List.of(500), 2, 23), train);
        Path export = tmp.resolve("punks-onnx");
        model.exportOnnx(export.toString(), PunkSheet.SHAPE);
        agree(model, export, test);
    }

    /** ONNX Runtime's encoder and decoder outputs equal VaeModel's columns for every row of {@code images}. */
    private static void agree(VaeModel model, Path export, float[][] images) throws Exception {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < images.length; i++) {
            rows.add(RowFactory.create(i, images[i]));
        }
        StructType schema = new StructType().add("index", DataTypes.IntegerType, false)
                .add("pixels", DataTypes.createArrayType(DataTypes.FloatType, false), false);
        Dataset<Row> input = spark.createDataFrame(rows, schema);
        List<Row> scored = model.setReconstructionCol("reconstruction").transform(input)
                .select("index", "latent_mean", "latent_log_var", "reconstruction").orderBy("index").collectAsList();
        int n = images.length;
        double[][] mean = new double[n][];
        double[][] logVar = new double[n][];
        double[][] reconstruction = new double[n][];
        float[][] meanAsFloats = new float[n][];
        for (Row r : scored) {
            int i = r.getInt(0);
            mean[i] = ((Vector) r.get(1)).toArray();
            logVar[i] = ((Vector) r.get(2)).toArray();
            reconstruction[i] = ((Vector) r.get(3)).toArray();
            meanAsFloats[i] = new float[mean[i].length];
            for (int j = 0; j < mean[i].length; j++) {
                meanAsFloats[i][j] = (float) mean[i][j]; // the model's floats, widened to doubles by the vector column
            }
        }
        assertEquals(n, scored.size());

        Map<String, float[][]> encoded = OnnxRuntimeGraphs.run(export.resolve(OnnxExport.ENCODER), VaeOnnx.PIXELS, images);
        OnnxRuntimeGraphs.assertClose(mean, encoded.get(VaeOnnx.LATENT_MEAN), TOLERANCE, "latent_mean");
        OnnxRuntimeGraphs.assertClose(logVar, encoded.get(VaeOnnx.LATENT_LOG_VAR), TOLERANCE, "latent_log_var");
        Map<String, float[][]> decoded = OnnxRuntimeGraphs.run(export.resolve(OnnxExport.DECODER), VaeOnnx.Z, meanAsFloats);
        OnnxRuntimeGraphs.assertClose(reconstruction, decoded.get(VaeOnnx.DECODED), TOLERANCE, "decoded pixels");
        // The reconstruction column is the render stage's decoder (Vae.decode) at the posterior mean.
        float[][] rendered = model.vae().decode(PixelMatrix.of(meanAsFloats)).toFloatMatrix();
        double[][] renderedWide = new double[n][];
        for (int i = 0; i < n; i++) {
            renderedWide[i] = new double[rendered[i].length];
            for (int j = 0; j < rendered[i].length; j++) {
                renderedWide[i][j] = rendered[i][j];
            }
        }
        OnnxRuntimeGraphs.assertClose(renderedWide, decoded.get(VaeOnnx.DECODED), TOLERANCE, "Vae.decode");
        assertTrue(spread(mean) > 0.1, "the latent means vary (a constant would agree trivially)");
    }

    /** A model of {@code spec} trained one epoch on {@code train}, saved and read back as the Spark ML user does. */
    private VaeModel saved(VaeSpec spec, float[][] train) {
        Vae vae = Vae.create(spec);
        new SingleProcessTrainer(vae, 100, spec.seed()).train(PixelMatrix.of(train), null, 1, null);
        org.apache.hadoop.fs.Path dir = FILES.path(tmp.resolve("model").toString());
        VaeStore.saveCommitted(vae, Provenance.of("onnx", Map.of("seed", spec.seed()), spec.seed(), null), dir, FILES, true);
        return VaeModel.load(dir.toString());
    }

    private static double spread(double[][] values) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double[] row : values) {
            for (double v : row) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        return max - min;
    }

    private static float[][] mnist(String file, int n) throws Exception {
        IdxImages images = IdxReader.readImages(Files.readAllBytes(TestData.rawDir().resolve("mnist/" + file)), file);
        float[][] rows = new float[n][];
        for (int i = 0; i < n; i++) {
            rows[i] = images.image(i);
        }
        return rows;
    }
}

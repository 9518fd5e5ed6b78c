package io.sparkvae.render;

import io.sparkvae.layout.RunLayout;
import io.sparkvae.model.PixelMatrix;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkvae.data.ImageShape;
import io.sparkvae.model.AnomalyScore;
import io.sparkvae.scoring.Example;
import io.sparkvae.evaluate.TinyModels;
import io.sparkvae.io.HadoopFiles;
import io.sparkvae.model.Vae;
import io.sparkvae.provenance.Provenance;
import io.sparkvae.model.EpochMetrics;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The pictures drawn from a small real model: cells where specified, sizes, content and sidecars. */
@Tag("data") // its model is trained on the real MNIST files: the quick profile, which needs no data, leaves it out
class RendererTest {
    private static final ImageShape MNIST = new ImageShape(28, 28, 1);
    private static final int SCALE = 3;
    private static Vae vae;

    @TempDir
    Path tmp;

    @BeforeAll
    static void model() {
        vae = TinyModels.trained(784, 2, 3);
    }

    private Renderer renderer(Vae model) {
        return new Renderer(HadoopFiles.withDefaults(), model, MNIST, SCALE, "tiny", 3, Provenance.of("tiny", Map.of(), 42, null));
    }

    /** The render folder's layout, in this test's temporary folder. */
    private RunLayout.RenderFiles files() {
        return new RunLayout.RenderFiles(dir());
    }

    private org.apache.hadoop.fs.Path dir() {
        return new org.apache.hadoop.fs.Path(tmp.toUri());
    }

    private BufferedImage png(String name) throws Exception {
        return ImageIO.read(tmp.resolve(name).toFile());
    }

    /** The decoder mean for one z as the 0..255 grey levels the tile writer produces. */
    private static int[] expectedTile(float z1, float z2) {
        INDArray z = Nd4j.createFromArray(new float[][] {{z1, z2}});
        float[] mean = vae.decode(z).toFloatVector();
        int[] grey = new int[mean.length];
        for (int i = 0; i < mean.length; i++) {
            grey[i] = Math.round(Math.min(1f, Math.max(0f, mean[i])) * 255f);
        }
        return grey;
    }

    /** Largest difference between a cell of the picture (native pixels sampled at every scaled block) and a tile. */
    private static int maxDiff(BufferedImage img, int row, int col, int[] tile) {
        int max = 0;
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                for (int d = 0; d < SCALE; d++) { // every pixel of the scaled block holds the same value
                    int px = img.getRGB(col * 28 * SCALE + x * SCALE + d, row * 28 * SCALE + y * SCALE + (SCALE - 1 - d)) & 0xff;
                    max = Math.max(max, Math.abs(px - tile[y * 28 + x]));
                }
            }
        }
        return max;
    }

    @Test
    void manifoldPlacesEachQuantileInItsCell() throws Exception {
        renderer(vae).manifold(files().manifold(), 5);
        BufferedImage img = png("manifold.png");
        assertEquals(5 * 28 * SCALE, img.getWidth());
        assertEquals(5 * 28 * SCALE, img.getHeight());
        // Probabilities 0.05, 0.275, 0.5, 0.725, 0.95: z1 = Phi^-1(0.725) is column 3; z2 = Phi^-1(0.275) is the second
        // smallest z2, i.e. row 3 counted from the top (z2 grows upwards).
        float q725 = 0.5977601260424784f;
        int[] tile = expectedTile(q725, -q725);
        assertTrue(maxDiff(img, 3, 3, tile) <= 1, "decoded z not found in cell (3, 3): " + maxDiff(img, 3, 3, tile));
        // Guard against a test that cannot fail: the mirrored cells hold visibly different decodings.
        assertTrue(maxDiff(img, 1, 3, tile) > 10 || maxDiff(img, 3, 1, tile) > 10, "the decoder barely varies; test is blind");
        // Corners: top-left is (Phi^-1(0.05), Phi^-1(0.95)).
        float q95 = 1.6448536269514722f;
        assertTrue(maxDiff(img, 0, 0, expectedTile(-q95, q95)) <= 1);
        assertTrue(maxDiff(img, 4, 4, expectedTile(q95, -q95)) <= 1);

        @SuppressWarnings("unchecked")
        Map<String, Object> sidecar = new ObjectMapper().readValue(Files.readString(tmp.resolve("manifold.json")), Map.class);
        assertEquals("tiny", sidecar.get("run"));
        assertEquals(3, sidecar.get("epochs"));
        assertEquals(SCALE, sidecar.get("scale"));
        assertEquals(Map.of("columns", 5, "rows", 5), sidecar.get("grid"));
        assertEquals("manifold.png", sidecar.get("file"));
        assertTrue(sidecar.containsKey("provenance") && sidecar.containsKey("shows"));
    }

    @Test
    void reconstructionsShowOriginalsAboveTheirReconstructions() throws Exception {
        List<float[]> pixels = TinyModels.mnist("t10k-images-idx3-ubyte", 4);
        List<Example> examples = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            examples.add(new Example(i, null, pixels.get(i)));
        }
        renderer(vae).reconstructions(files().reconstructions(), examples);
        BufferedImage img = png("reconstructions.png");
        assertEquals(4 * 28 * SCALE, img.getWidth());
        assertEquals(2 * 28 * SCALE, img.getHeight());
        int[] original = new int[784];
        for (int i = 0; i < 784; i++) {
            original[i] = Math.round(pixels.get(2)[i] * 255f);
        }
        assertEquals(0, maxDiff(img, 0, 2, original));
        INDArray mean = vae.encode(PixelMatrix.of(List.of(pixels.get(2)))).mean();
        float[] m = mean.toFloatVector();
        assertTrue(maxDiff(img, 1, 2, expectedTile(m[0], m[1])) <= 1);
        assertTrue(maxDiff(img, 1, 2, original) > 10, "a reconstruction is not a copy");
    }

    @Test
    void interpolationsRunFromOneReconstructionToTheOther() throws Exception {
        List<float[]> pixels = TinyModels.mnist("t10k-images-idx3-ubyte", 4);
        List<Example[]> pairs = List.of(new Example[] {new Example(0, 7, pixels.get(0)), new Example(1, 2, pixels.get(1))},
                new Example[] {new Example(2, 1, pixels.get(2)), new Example(3, 0, pixels.get(3))});
        renderer(vae).interpolations(files().interpolations(), pairs);
        BufferedImage img = png("interpolations.png");
        assertEquals(Renderer.INTERPOLATION_STEPS * 28 * SCALE, img.getWidth());
        assertEquals(2 * 28 * SCALE, img.getHeight());
        float[] a = vae.encode(PixelMatrix.of(List.of(pixels.get(2)))).mean().toFloatVector();
        float[] b = vae.encode(PixelMatrix.of(List.of(pixels.get(3)))).mean().toFloatVector();
        // The ends are the reconstructions of the pair; step 3 of 9 lies a third of the way.
        assertTrue(maxDiff(img, 1, 0, expectedTile(a[0], a[1])) <= 1, "row 2 starts at the reconstruction of example 2");
        assertTrue(maxDiff(img, 1, 9, expectedTile(b[0], b[1])) <= 1, "row 2 ends at the reconstruction of example 3");
        float t = 3f / 9;
        int[] third = expectedTile((1 - t) * a[0] + t * b[0], (1 - t) * a[1] + t * b[1]);
        assertTrue(maxDiff(img, 1, 3, third) <= 1, "step 3");
        assertTrue(maxDiff(img, 1, 0, expectedTile(b[0], b[1])) > 10, "the ends differ; test is blind otherwise");
        @SuppressWarnings("unchecked")
        Map<String, Object> sidecar = new ObjectMapper().readValue(Files.readString(tmp.resolve("interpolations.json")), Map.class);
        assertEquals(List.of(List.of(0, 1), List.of(2, 3)), sidecar.get("pairs"));
    }

    @Test
    void outliersArePairsCaptionedWithTheirScoresHighestFirst() throws Exception {
        List<float[]> pixels = TinyModels.mnist("t10k-images-idx3-ubyte", 12);
        List<Outlier> outliers = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            outliers.add(new Outlier(new Example(100 + i, null, pixels.get(i)), AnomalyScore.COMPLEXITY_CORRECTED, 300.0 - i));
        }
        renderer(vae).outliers(files().outliers(), outliers);
        BufferedImage img = png("outliers.png");
        int cell = 28 * SCALE;
        int band = Math.max(14, 5 * SCALE);
        assertEquals(10 * cell, img.getWidth());
        assertEquals(4 * cell + 2 * band, img.getHeight(), "two pairs of rows, each with its caption band");
        int[] original = new int[784];
        for (int i = 0; i < 784; i++) {
            original[i] = Math.round(pixels.get(0)[i] * 255f);
        }
        assertEquals(0, maxDiff(img, 0, 0, original), "the highest score first, top left");
        // A caption is drawn (dark text on white) under the first column; the band under an empty column is blank.
        assertTrue(darkPixels(img, 0, 2 * cell, cell, band) > 5, "caption under column 0");
        assertEquals(0, darkPixels(img, 5 * cell, 4 * cell + band, cell, band), "no caption under an empty cell");
        @SuppressWarnings("unchecked")
        Map<String, Object> sidecar = new ObjectMapper().readValue(Files.readString(tmp.resolve("outliers.json")), Map.class);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> listed = (List<Map<String, Object>>) sidecar.get("outliers");
        assertEquals(12, listed.size());
        assertEquals(100, listed.get(0).get("index"));
        assertEquals(300.0, listed.get(0).get("neg_elbo_minus_png"), "each listed with the score it was ranked by");
        @SuppressWarnings("unchecked")
        Map<String, Object> rankedBy = (Map<String, Object>) sidecar.get("ranked_by");
        assertEquals("complexity-corrected", rankedBy.get("score"));
        assertTrue(((String) sidecar.get("shows")).contains("neg_elbo_minus_png"), "the description names the score");
    }

    private static int darkPixels(BufferedImage img, int x0, int y0, int w, int h) {
        int n = 0;
        for (int y = y0; y < y0 + h; y++) {
            for (int x = x0; x < x0 + w; x++) {
                if ((img.getRGB(x, y) & 0xff) < 128) {
                    n++;
                }
            }
        }
        return n;
    }

    @Test
    void samplesFillANearSquareGridWithVariedContent() throws Exception {
        renderer(vae).samples(files().samples(), 13, 42);
        BufferedImage img = png("samples.png");
        assertEquals(4 * 28 * SCALE, img.getWidth());
        assertEquals(4 * 28 * SCALE, img.getHeight());
        assertTrue(distinctColours(img) > 20, "samples picture is blank");
        float[] z = Sampling.prior(13, 2, 42)[5];
        assertTrue(maxDiff(img, 1, 1, expectedTile(z[0], z[1])) <= 1); // sample 5 of a 4-wide grid
        assertTrue(Files.exists(tmp.resolve("samples.json")));
    }

    @Test
    void chartsHaveTheirSizeTheirSeriesAndContent() throws Exception {
        List<EpochMetrics> log = List.of(new EpochMetrics(1, 190, 170, 1, 1), new EpochMetrics(2, 160, 150, 1, 1),
                new EpochMetrics(3, 150, Double.NaN, 1, 1));
        XYChart curve = Charts.trainingCurve("tiny", log);
        assertEquals(List.of("train", "validation"), new ArrayList<>(curve.getSeriesMap().keySet()));
        assertEquals(2, curve.getSeriesMap().get("validation").getXData().length);
        assertEquals("epoch", curve.getXAxisTitle());
        assertTrue(curve.getYAxisTitle().contains("-ELBO"));

        renderer(vae).trainingCurve(files().trainingCurve(), log);
        BufferedImage c = png("training-curve.png");
        assertEquals(Charts.CURVE_WIDTH, c.getWidth());
        assertEquals(Charts.CURVE_HEIGHT, c.getHeight());
        assertTrue(hasColour(c, Charts.PALETTE[0].getRGB()) && hasColour(c, Charts.PALETTE[1].getRGB()), "both lines drawn");

        List<LatentPoint> points = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            points.add(new LatentPoint(i, (i * 7) % 10, Math.sin(i), Math.cos(i * 0.3)));
        }
        XYChart scatter = Charts.latentScatter("t", points.stream().mapToDouble(LatentPoint::z1).toArray(),
                points.stream().mapToDouble(LatentPoint::z2).toArray(), points.stream().map(LatentPoint::label).toArray(Integer[]::new));
        assertEquals(List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), new ArrayList<>(scatter.getSeriesMap().keySet()));
        assertEquals(30, scatter.getSeriesMap().get("3").getXData().length);
        XYChart plain = Charts.latentScatter("t", new double[] {1, 2}, new double[] {3, 4}, new Integer[2]);
        assertEquals(List.of(Charts.UNLABELLED), new ArrayList<>(plain.getSeriesMap().keySet()));

        renderer(vae).latentScatter(files().latentScatter(), points);
        BufferedImage s = png("latent-scatter.png");
        assertEquals(Charts.SCATTER_SIZE, s.getWidth());
        for (int k = 0; k < 10; k++) {
            assertTrue(hasColour(s, Charts.PALETTE[k].getRGB()), "label " + k + " drawn in its colour");
        }
    }

    private static int distinctColours(BufferedImage img) {
        Set<Integer> seen = new HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 2) {
            for (int x = 0; x < img.getWidth(); x += 2) {
                seen.add(img.getRGB(x, y));
            }
        }
        return seen.size();
    }

    private static boolean hasColour(BufferedImage img, int argb) {
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                if ((img.getRGB(x, y) & 0xffffff) == (argb & 0xffffff)) {
                    return true;
                }
            }
        }
        return false;
    }

}

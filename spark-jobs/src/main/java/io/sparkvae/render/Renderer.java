package io.sparkvae.render;

import io.sparkvae.model.PixelMatrix;
import io.sparkvae.model.EpochMetrics;
import io.sparkvae.data.ImageShape;
import io.sparkvae.scoring.Example;
import io.sparkvae.image.PictureWriter;
import io.sparkvae.image.TileGrid;
import io.sparkvae.model.AnomalyScore;
import io.sparkvae.io.HadoopFiles;
import io.sparkvae.model.Vae;
import io.sparkvae.provenance.Provenance;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.knowm.xchart.XYChart;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Draws one run's pictures into a directory through {@link PictureWriter} (PNG + sidecar JSON each). Tile pictures
 * are decoder means (or test images) at {@code scale} times their native size, nearest neighbour, no gaps.
 */
public final class Renderer {

    private final PictureWriter writer;
    private final Vae vae;
    private final ImageShape shape;
    private final int scale;
    private final String run;
    private final Integer epochs;
    private final Provenance provenance;

    /**
     * @param epochs training epochs behind the model (from metrics.jsonl), or null when unknown
     */
    public Renderer(HadoopFiles files, Vae vae, ImageShape shape, int scale, String run, Integer epochs, Provenance provenance) {
        if (shape.size() != vae.spec().inputSize()) {
            throw new IllegalArgumentException("image shape " + shape + " does not fit the model's " + vae.spec().inputSize() + " inputs");
        }
        this.writer = new PictureWriter(files);
        this.vae = vae;
        this.shape = shape;
        this.scale = scale;
        this.run = run;
        this.epochs = epochs;
        this.provenance = provenance;
    }

    /** Originals (rows 1, 3, ...) above their reconstructions decoded at the posterior mean (rows 2, 4, ...). */
    public void reconstructions(Path png, List<Example> examples) {
        List<float[]> originals = new ArrayList<>();
        for (Example e : examples) {
            originals.add(e.pixels());
        }
        INDArray means = vae.encode(PixelMatrix.of(originals)).mean();
        List<float[]> recon = rows(vae.decode(means));
        PairLayout layout = PairLayout.of(originals, recon, PairLayout.columnsFor(examples.size()));
        Map<String, Object> d = description("test examples (odd rows) above their reconstructions (even rows): decoder "
                + "means at the posterior mean E[z|x]", layout.columns(), layout.rows());
        d.put("indices", examples.stream().map(Example::index).toList());
        write(png, tiles(layout.tiles(), layout.columns(), layout.rows()), d);
    }

    /** The decoder means over an n x n grid of the 2-D latent space (see {@link LatentGrid#cells}). */
    public void manifold(Path png, int n) {
        if (vae.spec().latentSize() != 2) {
            throw new IllegalArgumentException("the manifold is drawn for 2-D latent spaces only");
        }
        float[][] z = LatentGrid.cells(n);
        List<float[]> tiles = rows(vae.decode(PixelMatrix.of(z)));
        Map<String, Object> d = description("decoder means p(x|z) over the 2-D latent space: column c at z1 = axis[c], row r "
                + "at z2 = axis[n-1-r] (z2 grows upwards), axis = standard normal quantiles of probabilities evenly spaced "
                + "from 0.05 to 0.95", n, n);
        d.put("probabilities", LatentGrid.probabilities(n));
        d.put("axis", LatentGrid.axis(n));
        write(png, tiles(tiles, n, n), d);
    }

    /** Decoder means for {@code count} draws z ~ N(0, I), seeded. */
    public void samples(Path png, int count, long seed) {
        float[][] z = Sampling.prior(count, vae.spec().latentSize(), seed);
        List<float[]> tiles = rows(vae.decode(PixelMatrix.of(z)));
        int columns = Sampling.squareColumns(count);
        int rows = (count + columns - 1) / columns;
        Map<String, Object> d = description("decoder means p(x|z) for z drawn from the prior N(0, I)", columns, rows);
        d.put("samples", count);
        d.put("seed", seed);
        write(png, tiles(tiles, columns, rows), d);
    }

    /** Steps from one posterior mean to the other in a row of the interpolation picture, both ends included. */
    public static final int INTERPOLATION_STEPS = 10;

    /**
     * One row per pair (a, b): decoder means at z = (1 - t) E[z|a] + t E[z|b] for {@value #INTERPOLATION_STEPS} evenly
     * spaced t from 0 to 1, so the first and last tiles are a's and b's reconstructions. Any latent size.
     */
    public void interpolations(Path png, List<Example[]> pairs) {
        if (pairs.isEmpty()) {
            throw new IllegalArgumentException("no pairs to interpolate between");
        }
        int steps = INTERPOLATION_STEPS;
        List<float[]> ends = new ArrayList<>();
        for (Example[] p : pairs) {
            ends.add(p[0].pixels());
            ends.add(p[1].pixels());
        }
        float[][] means = vae.encode(PixelMatrix.of(ends)).mean().toFloatMatrix();
        int nz = vae.spec().latentSize();
        float[][] z = new float[pairs.size() * steps][nz];
        for (int p = 0; p < pairs.size(); p++) {
            float[] a = means[2 * p];
            float[] b = means[2 * p + 1];
            for (int k = 0; k < steps; k++) {
                double t = (double) k / (steps - 1);
                for (int j = 0; j < nz; j++) {
                    z[p * steps + k][j] = (float) ((1 - t) * a[j] + t * b[j]);
                }
            }
        }
        List<float[]> tiles = rows(vae.decode(PixelMatrix.of(z)));
        Map<String, Object> d = description("one row per pair of test examples (a, b): decoder means at z = (1 - t) E[z|a] "
                + "+ t E[z|b] for t = 0, 1/9, ..., 1; the first and last tiles are the reconstructions of a and b", steps, pairs.size());
        d.put("pairs", pairs.stream().map(p -> List.of(p[0].index(), p[1].index())).toList());
        write(png, tiles(tiles, steps, pairs.size()), d);
    }

    /**
     * The examples the model finds most unusual (highest anomaly score first): originals (odd rows) above their
     * reconstructions at the posterior mean (even rows), each pair captioned with its score in nats.
     */
    public void outliers(Path png, List<Outlier> outliers) {
        List<float[]> originals = outliers.stream().map(o -> o.example().pixels()).toList();
        List<float[]> recon = rows(vae.decode(vae.encode(PixelMatrix.of(originals)).mean()));
        PairLayout layout = PairLayout.of(originals, recon, PairLayout.columnsFor(outliers.size()));
        List<String> captions = outliers.stream().map(o -> String.format(java.util.Locale.ROOT, "%.1f", o.value())).toList();
        AnomalyScore score = outliers.isEmpty() ? AnomalyScore.NEG_ELBO : outliers.get(0).score();
        BufferedImage grid = tiles(layout.tiles(), layout.columns(), layout.rows());
        int band = captionBand(scale);
        Map<String, Object> d = description("the test examples with the highest " + score.column() + " (the model's most "
                + "unusual by that score: " + score.meaning() + "), highest first: originals (odd rows) above their "
                + "reconstructions at E[z|x] (even rows), each pair captioned with its " + score.column() + " in nats",
                layout.columns(), layout.rows());
        d.put("caption_band_pixels", band);
        d.put("ranked_by", Map.of("score", score.key(), "column", score.column(), "source", score.source()));
        d.put("outliers", outliers.stream().map(o -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("index", o.example().index());
            m.put("label", o.example().label());
            m.put(score.column(), o.value());
            return m;
        }).toList());
        write(png, TileGrid.captioned(grid, layout.columns(), layout.rows(), 2, captions, band), d);
    }

    /** Pixels of the caption band under each pair of rows of the outliers picture. */
    static int captionBand(int scale) {
        return Math.max(14, 5 * scale);
    }

    /** The generate stage's grid: the decoder means of its first samples, in sample order. */
    public void generated(Path png, List<float[]> pixels, long samples, long seed) {
        int columns = Sampling.squareColumns(pixels.size());
        int rows = (pixels.size() + columns - 1) / columns;
        Map<String, Object> d = description("decoder means p(x|z) of the generate stage's first " + pixels.size() + " of "
                + samples + " draws z ~ N(0, I), row-major in sample order (rows 0.. of samples.parquet)", columns, rows);
        d.put("samples", samples);
        d.put("seed", seed);
        write(png, tiles(pixels, columns, rows), d);
    }

    /** One image at {@code scale} as PNG bytes (a generated sample's own picture). */
    public static byte[] tilePng(float[] pixels, ImageShape shape, int scale) {
        return TileGrid.png(TileGrid.compose(List.of(pixels), shape, 1, 1, scale, 0));
    }

    /** The test posterior means of a 2-D latent space, coloured by label where there are labels. */
    public void latentScatter(Path png, List<LatentPoint> points) {
        double[] z1 = points.stream().mapToDouble(LatentPoint::z1).toArray();
        double[] z2 = points.stream().mapToDouble(LatentPoint::z2).toArray();
        Integer[] labels = points.stream().map(LatentPoint::label).toArray(Integer[]::new);
        XYChart chart = Charts.latentScatter(run + ": test posterior means (" + points.size() + " examples)", z1, z2, labels);
        Map<String, Object> d = chartDescription("posterior means E[z|x] of the test examples in the 2-D latent space"
                + (Arrays.stream(labels).anyMatch(l -> l != null) ? ", coloured by label" : ""), Charts.SCATTER_SIZE, Charts.SCATTER_SIZE);
        d.put("examples", points.size());
        writer.write(png, Charts.png(chart), d, provenance);
    }

    /** Train and validation -ELBO per epoch. */
    public void trainingCurve(Path png, List<EpochMetrics> log) {
        XYChart chart = Charts.trainingCurve(run, log);
        Map<String, Object> d = chartDescription("train and validation -ELBO (nats per image) per epoch, from metrics.jsonl",
                Charts.CURVE_WIDTH, Charts.CURVE_HEIGHT);
        writer.write(png, Charts.png(chart), d, provenance);
    }

    private BufferedImage tiles(List<float[]> tiles, int columns, int rows) {
        return TileGrid.compose(tiles, shape, columns, rows, scale, 0);
    }

    private void write(Path png, BufferedImage img, Map<String, Object> description) {
        writer.write(png, TileGrid.png(img), description, provenance);
    }

    /** What a tile picture of this run shows, for a sidecar written elsewhere (a series of pictures). */
    public Map<String, Object> describe(String shows) {
        Map<String, Object> d = common(shows);
        d.put("scale", scale);
        d.put("tile", Map.of("height", shape.height(), "width", shape.width(), "channels", shape.channels()));
        return d;
    }

    private Map<String, Object> description(String shows, int columns, int rows) {
        Map<String, Object> d = common(shows);
        d.put("grid", Map.of("columns", columns, "rows", rows));
        d.put("scale", scale);
        d.put("tile", Map.of("height", shape.height(), "width", shape.width(), "channels", shape.channels()));
        return d;
    }

    private Map<String, Object> chartDescription(String shows, int width, int height) {
        Map<String, Object> d = common(shows);
        d.put("size", Map.of("width", width, "height", height));
        return d;
    }

    private Map<String, Object> common(String shows) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("run", run);
        d.put("epochs", epochs);
        d.put("shows", shows);
        d.put("model", vae.spec().toMap());
        return d;
    }

    private static List<float[]> rows(INDArray m) {
        List<float[]> out = new ArrayList<>((int) m.size(0));
        for (long i = 0; i < m.size(0); i++) {
            out.add(m.getRow(i).dup().toFloatVector());
        }
        return out;
    }
}

package io.sparkvae.render;

import io.sparkvae.model.EpochMetrics;
import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The project's charts, drawn with XChart: render's training curve and latent scatter, the reproduction report's
 * learning curves. Pure: charts and PNG bytes.
 */
public final class Charts {
    public static final int CURVE_WIDTH = 800;
    public static final int CURVE_HEIGHT = 500;
    public static final int SCATTER_SIZE = 800;
    /** Axis labels in nats: two decimals at most, as the stages print them. */
    static final String NATS_PATTERN = "0.##";

    /** Ten colours that stay apart for the ten digits (matplotlib's tab10). */
    static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728), new Color(0x9467bd),
        new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22), new Color(0x17becf)};

    private Charts() {}

    /** Train and validation -ELBO per epoch, one line each (epochs lacking a value are left out of that line). */
    public static XYChart trainingCurve(String run, List<EpochMetrics> epochs) {
        XYChart chart = new XYChartBuilder().width(CURVE_WIDTH).height(CURVE_HEIGHT)
                .title(run + ": -ELBO per epoch").xAxisTitle("epoch").yAxisTitle("-ELBO (nats per image)").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setSeriesColors(new Color[] {PALETTE[0], PALETTE[1]});
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        // XChart labels ticks with every digit a value has: a one-epoch curve's ticks are its two points (509.63634363816226).
        chart.getStyler().setYAxisDecimalPattern(NATS_PATTERN);
        addLine(chart, "train", epochs, true);
        addLine(chart, "validation", epochs, false);
        if (chart.getSeriesMap().isEmpty()) {
            throw new IllegalArgumentException("no epoch has a train or validation -ELBO");
        }
        return chart;
    }

    private static void addLine(XYChart chart, String name, List<EpochMetrics> epochs, boolean train) {
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (EpochMetrics e : epochs) {
            double v = train ? e.trainNegElbo() : e.valNegElbo();
            if (Double.isFinite(v)) {
                x.add((double) e.epoch());
                y.add(v);
            }
        }
        if (!x.isEmpty()) {
            XYSeries s = chart.addSeries(name, x, y);
            s.setMarker(SeriesMarkers.CIRCLE);
        }
    }

    /**
     * Posterior means of a 2-D latent space, one series (and legend entry) per label in ascending order, or a single
     * series when there are no labels.
     *
     * @param labels per point, null entries (or a null array) for unlabelled data
     */
    public static XYChart latentScatter(String title, double[] z1, double[] z2, Integer[] labels) {
        if (z1.length != z2.length || (labels != null && labels.length != z1.length) || z1.length == 0) {
            throw new IllegalArgumentException("need matching, non-empty coordinate and label arrays");
        }
        XYChart chart = new XYChartBuilder().width(SCATTER_SIZE).height(SCATTER_SIZE)
                .title(title).xAxisTitle("z1 (posterior mean)").yAxisTitle("z2 (posterior mean)").build();
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setMarkerSize(4);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        Map<String, List<double[]>> groups = new TreeMap<>((a, b) -> {
            // Numeric labels in numeric order; the unlabelled group last.
            if (a.equals(b)) {
                return 0;
            }
            if (a.equals(UNLABELLED)) {
                return 1;
            }
            if (b.equals(UNLABELLED)) {
                return -1;
            }
            return Integer.compare(Integer.parseInt(a), Integer.parseInt(b));
        });
        for (int i = 0; i < z1.length; i++) {
            Integer label = labels == null ? null : labels[i];
            groups.computeIfAbsent(label == null ? UNLABELLED : label.toString(), k -> new ArrayList<>())
                    .add(new double[] {z1[i], z2[i]});
        }
        List<Color> colors = new ArrayList<>();
        int k = 0;
        for (Map.Entry<String, List<double[]>> g : groups.entrySet()) {
            double[] x = g.getValue().stream().mapToDouble(p -> p[0]).toArray();
            double[] y = g.getValue().stream().mapToDouble(p -> p[1]).toArray();
            XYSeries s = chart.addSeries(g.getKey(), x, y);
            s.setMarker(SeriesMarkers.CIRCLE);
            colors.add(PALETTE[k++ % PALETTE.length]);
        }
        chart.getStyler().setSeriesColors(colors.toArray(Color[]::new));
        return chart;
    }

    /** One named line of a chart with several. */
    public record Line(String name, double[] x, double[] y) {}

    /**
     * Several lines against a logarithmic x axis, one colour each (e.g. the test lower bound against training examples
     * seen, one line per latent size). Lines without points are left out.
     */
    public static XYChart logXLines(String title, String xTitle, String yTitle, List<Line> lines) {
        XYChart chart = new XYChartBuilder().width(CURVE_WIDTH).height(CURVE_HEIGHT)
                .title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        List<Color> colors = new ArrayList<>();
        for (Line line : lines) {
            if (line.x().length != line.y().length) {
                throw new IllegalArgumentException("line " + line.name() + " has " + line.x().length + " x and " + line.y().length + " y values");
            }
            if (line.x().length > 0) {
                chart.addSeries(line.name(), line.x(), line.y()).setMarker(SeriesMarkers.CIRCLE);
                colors.add(PALETTE[colors.size() % PALETTE.length]);
            }
        }
        if (colors.isEmpty()) {
            throw new IllegalArgumentException("no line has points: " + title);
        }
        chart.getStyler().setSeriesColors(colors.toArray(Color[]::new));
        return chart;
    }

    /** Series name of points without a label. */
    public static final String UNLABELLED = "test examples";

    public static byte[] png(XYChart chart) {
        try {
            return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode chart", e);
        }
    }
}

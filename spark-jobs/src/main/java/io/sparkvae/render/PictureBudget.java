package io.sparkvae.render;

import io.sparkvae.config.JobConfig;
import io.sparkvae.data.ImageShape;
import io.sparkvae.io.BadInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The pictures render and generate would draw, measured before any of them is: every setting can be in range while
 * together they make a picture no heap holds ({@code render.samples = 10000} at {@code render.scale = 32} is 89600 x
 * 89600 pixels), which would otherwise end in an {@code OutOfMemoryError} after the stage's work.
 */
public final class PictureBudget {
    /** Java's images keep their pixels in one array, so a picture holds at most this many. */
    static final long MAX_PIXELS = Integer.MAX_VALUE;
    /** Bytes per pixel of a picture being drawn (TYPE_INT_RGB). */
    private static final int BYTES_PER_PIXEL = 4;

    /**
     * One picture.
     *
     * @param copies pictures of this size held at once while it is drawn (a captioned grid is drawn, then copied)
     */
    public record Picture(String name, String settings, long width, long height, int copies) {
        long pixels() {
            return width * height;
        }

        long bytes() {
            return pixels() * BYTES_PER_PIXEL * copies;
        }
    }

    private PictureBudget() {}

    /** The tile pictures of {@code render/} for a test split of {@code testCount} examples. */
    public static List<Picture> render(JobConfig.Render r, ImageShape shape, int latentSize, long testCount) {
        List<Picture> out = new ArrayList<>();
        int scale = r.scale();
        int reconstructions = (int) Math.min(r.reconstructions(), testCount);
        out.add(pairs("reconstructions.png", "render.reconstructions = " + r.reconstructions(), reconstructions, shape, scale, 0));
        if (latentSize == 2) {
            out.add(grid("manifold.png", "render.manifold-grid = " + r.manifoldGrid(), r.manifoldGrid(), r.manifoldGrid(), shape, scale));
        }
        int columns = Sampling.squareColumns(r.samples());
        out.add(grid("samples.png", "render.samples = " + r.samples(), columns, (r.samples() + columns - 1) / columns, shape, scale));
        out.add(grid("interpolations.png", "render.interpolations = " + r.interpolations(), Renderer.INTERPOLATION_STEPS,
                (int) Math.min(r.interpolations(), testCount / 2), shape, scale));
        out.add(pairs("outliers.png", "render.outliers = " + r.outliers(), (int) Math.min(r.outliers(), testCount), shape, scale,
                Renderer.captionBand(scale)));
        return out;
    }

    /** Generate's grid of its first {@code tiles} samples. */
    public static List<Picture> generate(int tiles, ImageShape shape, int scale) {
        int columns = Sampling.squareColumns(tiles);
        return List.of(grid("samples.png", "generate.grid = " + tiles, columns, (tiles + columns - 1) / columns, shape, scale));
    }

    /**
     * Refuses (bad input: the same settings fail again) the first picture that is larger than a Java image can be or
     * needs more than half the driver's heap (the rest holds the model, the examples and Spark), naming the settings.
     */
    public static void requireFits(List<Picture> pictures, int scale, long maxHeap) {
        for (Picture p : pictures) {
            String what = String.format(Locale.ROOT, "%s would be %dx%d pixels (%s at render.scale = %d)", p.name(), p.width(),
                    p.height(), p.settings(), scale);
            String lower = "lower render.scale or " + p.settings().substring(0, p.settings().indexOf(' '));
            if (p.pixels() > MAX_PIXELS) {
                throw new BadInputException(what + ": more than a Java image holds (2^31 - 1 pixels); " + lower);
            }
            if (p.bytes() > maxHeap / 2) {
                throw new BadInputException(String.format(Locale.ROOT, "%s: drawing it takes %s of the driver's heap, which has %s;"
                        + " %s, or give the driver more memory (scripts/vae: VAE_DRIVER_MEMORY; spark-submit: --driver-memory)",
                        what, gib(p.bytes()), gib(maxHeap), lower));
            }
        }
    }

    private static String gib(long bytes) {
        return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
    }

    private static Picture grid(String name, String settings, int columns, int rows, ImageShape shape, int scale) {
        return new Picture(name, settings, (long) columns * shape.width() * scale, (long) Math.max(rows, 1) * shape.height() * scale, 1);
    }

    /** A {@link PairLayout} of {@code n} examples, with a caption band of {@code band} pixels under each pair of rows. */
    private static Picture pairs(String name, String settings, int n, ImageShape shape, int scale, int band) {
        int columns = Math.min(PairLayout.columnsFor(n), Math.max(n, 1));
        long pairRows = (Math.max(n, 1) + columns - 1) / columns;
        long height = pairRows * (2L * shape.height() * scale + band);
        return new Picture(name, settings, (long) columns * shape.width() * scale, height, band > 0 ? 2 : 1);
    }
}

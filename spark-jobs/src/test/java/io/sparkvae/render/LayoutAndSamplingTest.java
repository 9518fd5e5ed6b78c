package io.sparkvae.render;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Reconstruction pairs, seeded choices and the training log parser. */
class LayoutAndSamplingTest {

    private static float[] tile(float v) {
        return new float[] {v, v};
    }

    @Test
    void aOneEpochTrainingCurveLabelsItsAxisInHundredths() {
        var chart = Charts.trainingCurve("one", List.of(new io.sparkvae.model.EpochMetrics(1, 509.63634363816226, 403.20121744632723, 1, 1)));
        // XChart formats the y ticks with this pattern; without one, a one-epoch curve's ticks show all 16 digits.
        String pattern = chart.getStyler().getYAxisDecimalPattern();
        var format = new java.text.DecimalFormat(pattern, java.text.DecimalFormatSymbols.getInstance(java.util.Locale.ROOT));
        assertEquals("509.64", format.format(509.63634363816226));
        assertEquals("400", format.format(400.0));
    }

    @Test
    void picturesAreMeasuredAgainstAnImagesLimitAndTheHeapBeforeAnyIsDrawn() {
        io.sparkvae.data.ImageShape mnist = new io.sparkvae.data.ImageShape(28, 28, 1);
        var defaults = io.sparkvae.config.JobConfigLoader.load("", "t.conf", "t", List.of()).render();
        PictureBudget.requireFits(PictureBudget.render(defaults, mnist, 2, 10_000), defaults.scale(), 1L << 30);
        // 1,000 samples at scale 32: 28672x28672 pixels, 3 GiB to draw, in range of an image but not of a 1 GiB heap.
        var heap = assertThrows(io.sparkvae.io.BadInputException.class,
                () -> PictureBudget.requireFits(PictureBudget.generate(1000, mnist, 32), 32, 1L << 30));
        assertEquals("samples.png would be 28672x28672 pixels (generate.grid = 1000 at render.scale = 32): drawing it takes 3.1 GiB"
                + " of the driver's heap, which has 1.0 GiB; lower render.scale or generate.grid, or give the driver more memory"
                + " (scripts/vae: VAE_DRIVER_MEMORY; spark-submit: --driver-memory)", heap.getMessage());
    }

    @Test
    void reconstructionsSitRightUnderTheirOriginals() {
        List<float[]> originals = new ArrayList<>();
        List<float[]> recon = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            originals.add(tile(i));
            recon.add(tile(100 + i));
        }
        PairLayout l = PairLayout.of(originals, recon, 3);
        assertEquals(3, l.columns());
        assertEquals(6, l.rows()); // 3 pairs of rows: 3 + 3 + 1 examples
        assertEquals(18, l.tiles().size());
        for (int i = 0; i < 7; i++) {
            int pairRow = i / 3;
            int col = i % 3;
            assertSame(originals.get(i), l.tiles().get((2 * pairRow) * 3 + col));
            assertSame(recon.get(i), l.tiles().get((2 * pairRow + 1) * 3 + col));
        }
        // padding of the short last pair is blank
        assertArrayEquals(new float[2], l.tiles().get(4 * 3 + 1));
        assertArrayEquals(new float[2], l.tiles().get(5 * 3 + 2));
        assertEquals(2, PairLayout.of(List.of(tile(1), tile(2)), List.of(tile(3), tile(4)), 10).columns());
        assertThrows(IllegalArgumentException.class, () -> PairLayout.of(List.of(tile(1)), List.of(), 3));
    }

    @Test
    void pickIsSeededAndIndependentOfCollectionOrder() {
        List<Integer> indices = new ArrayList<>(IntStream.range(8000, 10_000).boxed().toList());
        List<Integer> a = Sampling.pick(indices, 50, 42);
        Collections.reverse(indices);
        assertEquals(a, Sampling.pick(indices, 50, 42));
        assertEquals(50, a.size());
        assertEquals(50, a.stream().distinct().count());
        assertEquals(a.stream().sorted().toList(), a);
        assertNotEquals(a, Sampling.pick(indices, 50, 43));
        assertNotEquals(IntStream.range(8000, 8050).boxed().toList(), a); // a sample, not the first 50
        assertEquals(3, Sampling.pick(List.of(5, 1, 3), 50, 42).size());
    }

    @Test
    void priorDrawsAreSeededStandardNormal() {
        float[][] z = Sampling.prior(5000, 2, 42);
        assertArrayEquals(z[17], Sampling.prior(5000, 2, 42)[17]);
        double sum = 0;
        double sq = 0;
        for (float[] row : z) {
            for (float v : row) {
                sum += v;
                sq += v * v;
            }
        }
        assertEquals(0.0, sum / 10_000, 0.05);
        assertEquals(1.0, sq / 10_000, 0.05);
        assertEquals(10, Sampling.squareColumns(100));
        assertEquals(4, Sampling.squareColumns(13));
    }
}

package io.sparkvae.render;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The manifold's quantile grid against known values of the inverse normal CDF. */
class LatentGridTest {

    @Test
    void inverseNormalCdfMatchesTabulatedValues() {
        assertEquals(0.0, LatentGrid.normalQuantile(0.5), 1e-12);
        assertEquals(1.6448536269514722, LatentGrid.normalQuantile(0.95), 1e-9);
        assertEquals(-1.6448536269514722, LatentGrid.normalQuantile(0.05), 1e-9);
        assertEquals(1.959963984540054, LatentGrid.normalQuantile(0.975), 1e-9);
        assertEquals(-2.3263478740408408, LatentGrid.normalQuantile(0.01), 1e-9);
        assertEquals(0.6744897501960817, LatentGrid.normalQuantile(0.75), 1e-9);
        assertThrows(IllegalArgumentException.class, () -> LatentGrid.normalQuantile(0));
        assertThrows(IllegalArgumentException.class, () -> LatentGrid.normalQuantile(1));
        assertThrows(IllegalArgumentException.class, () -> LatentGrid.normalQuantile(Double.NaN));
    }

    @Test
    void probabilitiesRunEvenlyFromFivePercentToNinetyFive() {
        assertArrayEquals(new double[] {0.05, 0.5, 0.95}, LatentGrid.probabilities(3), 1e-12);
        double[] p = LatentGrid.probabilities(20);
        assertEquals(0.05, p[0], 1e-12);
        assertEquals(0.95, p[19], 1e-12);
        for (int i = 1; i < 20; i++) {
            assertEquals(0.9 / 19, p[i] - p[i - 1], 1e-12);
        }
        assertThrows(IllegalArgumentException.class, () -> LatentGrid.probabilities(1));
    }

    @Test
    void axisIsSymmetricAndIncreasing() {
        double[] z = LatentGrid.axis(7);
        for (int i = 0; i < 7; i++) {
            assertEquals(-z[6 - i], z[i], 1e-9);
            if (i > 0) {
                assertTrue(z[i] > z[i - 1]);
            }
        }
        assertEquals(0.0, z[3], 1e-12);
    }

    @Test
    void cellsGrowRightwardsInZ1AndUpwardsInZ2() {
        int n = 4;
        double[] axis = LatentGrid.axis(n);
        float[][] cells = LatentGrid.cells(n);
        assertEquals(16, cells.length);
        // top-left: smallest z1, largest z2; bottom-right: largest z1, smallest z2
        assertArrayEquals(new float[] {(float) axis[0], (float) axis[3]}, cells[0]);
        assertArrayEquals(new float[] {(float) axis[3], (float) axis[0]}, cells[15]);
        // row 1, column 2
        assertArrayEquals(new float[] {(float) axis[2], (float) axis[2]}, cells[n + 2]);
    }
}

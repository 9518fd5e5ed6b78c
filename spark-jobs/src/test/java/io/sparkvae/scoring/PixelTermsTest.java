package io.sparkvae.scoring;

import io.sparkvae.model.AnomalyScore;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkvae.data.ImageShape;
import io.sparkvae.image.TileGrid;
import io.sparkvae.io.BadInputException;
import java.io.ByteArrayInputStream;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** The per-image terms of the anomaly scores, and the scores' own names. */
class PixelTermsTest {
    @Test
    void theEntropySumIsZeroForBinaryPixelsAndLnTwoPerHalfGreyPixel() {
        assertEquals(0.0, PixelTerms.entropySum(new float[] {0f, 1f, 1f, 0f}), 0.0);
        assertEquals(3 * Math.log(2), PixelTerms.entropySum(new float[] {0.5f, 0.5f, 0.5f, 1f}), 1e-12);
        assertEquals(-0.2 * Math.log(0.2) - 0.8 * Math.log(0.8), PixelTerms.entropySum(new float[] {0.2f}), 1e-7);
    }

    @Test
    void thePngIsTheImageAtEightBitsPerChannelInItsOwnChannels() throws Exception {
        ImageShape rgb = new ImageShape(2, 3, 3);
        float[] x = new float[rgb.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = i / (float) (x.length - 1);
        }
        BufferedImage back = ImageIO.read(new ByteArrayInputStream(TileGrid.imagePng(x, rgb)));
        assertEquals(3, back.getWidth());
        assertEquals(2, back.getHeight());
        int[] read = back.getRaster().getPixels(0, 0, 3, 2, (int[]) null);
        int[] expected = new int[x.length];
        for (int i = 0; i < x.length; i++) {
            expected[i] = Math.round(x[i] * 255f);
        }
        assertArrayEquals(expected, read);
        ImageShape grey = new ImageShape(28, 28, 1);
        BufferedImage g = ImageIO.read(new ByteArrayInputStream(TileGrid.imagePng(new float[784], grey)));
        assertEquals(1, g.getRaster().getNumBands(), "grey stays one channel");
        // A busy image costs more than a flat one; the score's unit is nats (8 ln 2 per byte).
        float[] noise = new float[784];
        java.util.Random rng = new java.util.Random(1);
        for (int i = 0; i < noise.length; i++) {
            noise[i] = rng.nextFloat();
        }
        assertTrue(PixelTerms.pngNats(noise, grey) > 5 * PixelTerms.pngNats(new float[784], grey));
        assertEquals(TileGrid.imagePng(noise, grey).length * 8 * Math.log(2), PixelTerms.pngNats(noise, grey), 1e-9);
    }

    @Test
    void theRegionSurpriseIsTheWorstFourByFourWindowOfExcessCost() {
        ImageShape shape = new ImageShape(8, 8, 1);
        float[] x = new float[64];
        float[] p = new float[64];
        Arrays.fill(p, 0.5f);
        Arrays.fill(x, 0.5f); // explained exactly: no excess anywhere
        assertEquals(0.0, PixelTerms.regionSurprise(x, p, shape), 1e-12);
        // Two pixels the decoder gets wrong, in one 4x4 window, and one elsewhere: the window holding both wins.
        x[9] = 1f;
        x[18] = 1f;
        x[63] = 1f;
        double one = Math.log(2); // KL(Bern(1) || Bern(0.5))
        assertEquals(2 * one, PixelTerms.regionSurprise(x, p, shape), 1e-7);
        // The sum over the image would have been 3 ln 2; a wider spread of the same cost scores lower.
        float[] spread = new float[64];
        Arrays.fill(spread, 0.5f);
        spread[0] = 1f;
        spread[7] = 1f;
        spread[56] = 1f;
        assertEquals(one, PixelTerms.regionSurprise(spread, p, shape), 1e-7);
        // Channels of a pixel add up; an image smaller than the window is one window.
        ImageShape tiny = new ImageShape(2, 2, 3);
        float[] t = new float[12];
        float[] q = new float[12];
        Arrays.fill(q, 0.5f);
        Arrays.fill(t, 1f);
        assertEquals(12 * one, PixelTerms.regionSurprise(t, q, tiny), 1e-6);
    }

    @Test
    void theColourSurpriseIsTheWorstColoursTotalExcessCost() {
        ImageShape shape = new ImageShape(2, 2, 3);
        float[] x = {1f, 0f, 0f, 1f, 0f, 0f, 0f, 0f, 1f, 0f, 0f, 0f};  // red, red, blue, black
        float[] p = {0.5f, 0f, 0f, 0.5f, 0f, 0f, 0f, 0f, 0.5f, 0f, 0f, 0f};
        double red = 2 * Math.log(2);     // two red pixels drawn at half their red: their colour adds up
        assertEquals(red, PixelTerms.colourSurprise(x, p, shape), 1e-5);
        p[8] = 0.1f;                      // now the blue pixel alone costs more than both reds
        assertEquals(Math.log(10), PixelTerms.colourSurprise(x, p, shape), 1e-5);
    }

    @Test
    void aSquareGreyOrRgbShapeIsInferredAndAnotherMustBeGiven() {
        assertEquals(new ImageShape(28, 28, 1), PixelTerms.squareShape(784));
        assertEquals(new ImageShape(24, 24, 3), PixelTerms.squareShape(1728));
        assertNull(PixelTerms.squareShape(392));
        ScoringSettings settings = ScoringSettings.of(1, 1, 0);
        assertNull(settings.shapeFor(392), "the -ELBO alone needs no shape");
        BadInputException e = assertThrows(BadInputException.class,
                () -> settings.withScores(EnumSet.of(AnomalyScore.COMPLEXITY_CORRECTED), null).shapeFor(392));
        assertTrue(e.getMessage().contains("complexity-corrected") && e.getMessage().contains("imageShape"), e.getMessage());
        assertEquals(new ImageShape(14, 28, 1), settings.withScores(EnumSet.of(AnomalyScore.REGION_SURPRISE),
                new ImageShape(14, 28, 1)).shapeFor(392));
    }

    @Test
    void everyScoreHasItsOwnKeyColumnParamAndSource() {
        Set<String> seen = new HashSet<>();
        for (AnomalyScore s : AnomalyScore.values()) {
            assertTrue(seen.add(s.key()) && seen.add(s.column()) && seen.add(s.param()), s + " shares a name");
            assertTrue(!s.meaning().isBlank() && !s.source().isBlank());
            assertEquals(s, AnomalyScore.byKey(s.key()));
        }
        assertNull(AnomalyScore.byKey("neg_elbo"), "keys, not columns");
        assertEquals(EnumSet.complementOf(EnumSet.of(AnomalyScore.NEG_ELBO)), AnomalyScore.optional());
    }
}

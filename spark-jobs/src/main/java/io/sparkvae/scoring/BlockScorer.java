package io.sparkvae.scoring;

import io.sparkvae.model.AnomalyScore;
import io.sparkvae.data.ImageShape;
import io.sparkvae.io.BadInputException;
import io.sparkvae.model.ElboTerms;
import io.sparkvae.model.PixelMatrix;
import io.sparkvae.model.Seeds;
import io.sparkvae.model.Vae;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The one scoring path: a block of examples through the model's own estimators (one encoder pass, the -ELBO and
 * optionally importance sampling, reconstructions and the {@link AnomalyScore}s), every example drawing its noise from
 * its own stream (see {@link ScoringSettings}). Every score of a row depends only on the model, the settings, that
 * row's pixels and (through the gemms' rounding) its block, never on the partitioning. The evaluate stage, train's validation, the encode stage, render's outliers and
 * {@code ml.VaeModel} all score through this class.
 */
public final class BlockScorer {
    private final Vae vae;
    private final ScoringSettings settings;
    private final ImageShape shape;

    public BlockScorer(Vae vae, ScoringSettings settings) {
        this.vae = vae;
        this.settings = settings;
        this.shape = settings.shapeFor(vae.spec().inputSize());
    }

    /** Scores {@code pixels} (one image per row, HWC values in [0,1]); the result is row for row. */
    public BlockScores score(List<float[]> pixels) {
        int inputs = vae.spec().inputSize();
        long[] elboSeeds = new long[pixels.size()];
        long[] isSeeds = new long[pixels.size()];
        for (int i = 0; i < pixels.size(); i++) {
            float[] p = pixels.get(i);
            if (p.length != inputs) {
                throw new BadInputException("an example has " + p.length + " pixel values but the model takes " + inputs);
            }
            long key = Seeds.contentKey(p);
            elboSeeds[i] = settings.elboSeed(key);
            isSeeds[i] = settings.importanceSeed(key);
        }
        INDArray x = PixelMatrix.of(pixels);
        ElboTerms elbo = vae.elbo(x, settings.elboSamples(), elboSeeds);
        double[] ll = new double[pixels.size()];
        if (settings.isSamples() == 0) {
            Arrays.fill(ll, Double.NaN);
        } else {
            ll = vae.logLikelihood(x, elbo.posterior(), settings.isSamples(), isSeeds).toDoubleVector();
        }
        boolean decode = settings.reconstructions() || settings.scores().stream().anyMatch(AnomalyScore::needsReconstruction);
        float[][] decoded = decode ? vae.decode(elbo.posterior().mean()).toFloatMatrix() : null;
        double[] reconstruction = elbo.reconstruction().toDoubleVector();
        double[] kl = elbo.kl().toDoubleVector();
        Map<AnomalyScore, double[]> anomaly = new EnumMap<>(AnomalyScore.class);
        for (AnomalyScore s : settings.scores()) {
            double[] values = new double[pixels.size()];
            for (int i = 0; i < values.length; i++) {
                float[] p = pixels.get(i);
                double negElbo = reconstruction[i] + kl[i];
                values[i] = switch (s) {
                    case NEG_ELBO -> negElbo;
                    case BIAS_CORRECTED -> negElbo - PixelTerms.entropySum(p);
                    case COMPLEXITY_CORRECTED -> negElbo - PixelTerms.pngNats(p, shape);
                    case REGION_SURPRISE -> PixelTerms.regionSurprise(p, decoded[i], shape);
                    case COLOUR_SURPRISE -> PixelTerms.colourSurprise(p, decoded[i], shape);
                };
            }
            anomaly.put(s, values);
        }
        return new BlockScores(elbo.posterior().mean().toFloatMatrix(), elbo.posterior().logVariance().toFloatMatrix(),
                reconstruction, kl, ll, settings.reconstructions() ? decoded : null, anomaly);
    }
}

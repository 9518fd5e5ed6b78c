package io.sparkvae.scoring;

import io.sparkvae.io.BadInputException;
import io.sparkvae.model.ElboTerms;
import io.sparkvae.model.PixelMatrix;
import io.sparkvae.model.Seeds;
import io.sparkvae.model.Vae;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The one scoring path: a block of examples through the model's own estimators (one encoder pass, the -ELBO and
 * optionally importance sampling and reconstructions), every example drawing its noise from its own stream (see
 * {@link ScoringSettings}). The evaluate stage, train's validation, the encode stage, render's outliers and
 * {@code ml.VaeModel} all score through this class.
 */
public final class BlockScorer {
    private final Vae vae;
    private final ScoringSettings settings;

    public BlockScorer(Vae vae, ScoringSettings settings) {
        this.vae = vae;
        this.settings = settings;
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
        float[][] decoded = settings.reconstructions() ? vae.decode(elbo.posterior().mean()).toFloatMatrix() : null;
        return new BlockScores(elbo.posterior().mean().toFloatMatrix(), elbo.posterior().logVariance().toFloatMatrix(),
                elbo.reconstruction().toDoubleVector(), elbo.kl().toDoubleVector(), ll, decoded);
    }
}

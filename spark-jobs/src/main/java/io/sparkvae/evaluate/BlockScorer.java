package io.sparkvae.evaluate;

import io.sparkvae.model.Seeds;
import io.sparkvae.model.PixelMatrix;
import io.sparkvae.io.BadInputException;
import io.sparkvae.model.ElboTerms;
import io.sparkvae.model.Vae;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Scores one block of examples through the model's own estimators, with the block's derived seeds. */
public final class BlockScorer {
    private final Vae vae;
    private final ScoringSettings settings;

    public BlockScorer(Vae vae, ScoringSettings settings) {
        this.vae = vae;
        this.settings = settings;
    }

    /**
     * @param block examples of one aligned block, in ascending index order (the order fixes which eps row each gets)
     */
    public List<ExampleScore> score(List<Example> block) {
        long blockNumber = BlockPartitioner.block(block.get(0).index(), settings.blockSize());
        long firstIndex = blockNumber * settings.blockSize();
        List<float[]> pixels = new ArrayList<>(block.size());
        for (int i = 0; i < block.size(); i++) {
            Example e = block.get(i);
            if (i > 0 && e.index() == block.get(i - 1).index()) {
                throw new BadInputException("the split holds index " + e.index() + " more than once");
            }
            if (BlockPartitioner.block(e.index(), settings.blockSize()) != blockNumber
                    || (i > 0 && e.index() <= block.get(i - 1).index())) {
                throw new IllegalStateException("block starting at index " + block.get(0).index()
                        + " is not one ascending aligned block (index " + e.index() + ")");
            }
            if (e.pixels().length != vae.spec().inputSize()) {
                throw new BadInputException("example " + e.index() + " has " + e.pixels().length
                        + " pixel values but the model takes " + vae.spec().inputSize());
            }
            pixels.add(e.pixels());
        }
        INDArray x = PixelMatrix.of(pixels);
        ElboTerms elbo = vae.elbo(x, settings.elboSamples(), Seeds.of(settings.seed(), Seeds.Purpose.ELBO_NOISE, firstIndex));
        double[] rec = elbo.reconstruction().toDoubleVector();
        double[] kl = elbo.kl().toDoubleVector();
        double[] lls = new double[block.size()];
        if (settings.isSamples() == 0) {
            java.util.Arrays.fill(lls, Double.NaN); // ELBO only
        } else {
            lls = vae.logLikelihood(x, settings.isSamples(), Seeds.of(settings.seed(), Seeds.Purpose.IMPORTANCE_SAMPLES, firstIndex))
                    .toDoubleVector();
        }
        List<ExampleScore> out = new ArrayList<>(block.size());
        for (int i = 0; i < block.size(); i++) {
            Example e = block.get(i);
            out.add(new ExampleScore(e.index(), e.label(), rec[i], kl[i], lls[i]));
        }
        return out;
    }
}

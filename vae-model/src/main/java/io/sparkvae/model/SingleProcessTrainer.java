package io.sparkvae.model;

import io.sparkvae.io.BadInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Trains a {@link Vae} in this JVM: epochs over an in-memory dataset, reshuffled every epoch from the seed, through
 * the same {@code MultiLayerNetwork.fit(DataSet)} call the Spark trainer's workers make.
 */
public final class SingleProcessTrainer {

    private final Vae vae;
    private final int batchSize;
    private final long seed;
    private int epochsDone;

    public SingleProcessTrainer(Vae vae, int batchSize, long seed) {
        if (batchSize < 1) {
            throw new BadInputException("batchSize must be at least 1, got " + batchSize);
        }
        this.vae = vae;
        this.batchSize = batchSize;
        this.seed = seed;
    }

    /**
     * Runs {@code epochs} more epochs (numbering continues across calls).
     *
     * @param train      FLOAT [n, inputSize] in [0, 1]
     * @param validation FLOAT [m, inputSize] in [0, 1], or null
     * @param listener   called after each epoch (may be null)
     */
    public List<EpochMetrics> train(INDArray train, INDArray validation, int epochs, Consumer<EpochMetrics> listener) {
        Vae.requireImages(train, "training data", vae.spec().inputSize());
        if (validation != null) {
            Vae.requireImages(validation, "validation data", vae.spec().inputSize());
        }
        MultiLayerNetwork net = vae.network();
        int n = (int) train.size(0);
        List<EpochMetrics> results = new ArrayList<>();
        for (int e = 0; e < epochs; e++) {
            int epoch = ++epochsDone;
            Random shuffle = new Random(Seeds.of(seed, Seeds.Purpose.EPOCH_SHUFFLE, epoch));
            // eps comes from ND4J's thread-local RNG; seeding it per epoch makes a run reproducible.
            Nd4j.getRandom().setSeed(Seeds.of(seed, Seeds.Purpose.TRAINING_NOISE, epoch));
            int[] order = permutation(n, shuffle);
            double scoreSum = 0;
            int batches = 0;
            long start = System.nanoTime();
            // One reused minibatch buffer (and one for a smaller last batch): a fresh array per step was zeroed first.
            INDArray full = Nd4j.create(DataType.FLOAT, batchSize, train.size(1));
            INDArray last = n % batchSize == 0 ? full : Nd4j.create(DataType.FLOAT, n % batchSize, train.size(1));
            for (int from = 0; from < n; from += batchSize) {
                int to = Math.min(n, from + batchSize);
                int[] rows = java.util.Arrays.copyOfRange(order, from, to);
                INDArray batch = Nd4j.pullRows(train, to - from == batchSize ? full : last, 1, rows);
                net.fit(Vae.minibatch(batch));
                scoreSum += net.score();
                batches++;
            }
            double fitSeconds = (System.nanoTime() - start) / 1e9;
            double val = validation == null ? Double.NaN
                    : vae.elbo(validation, 1, Seeds.of(seed, Seeds.Purpose.VALIDATION_NOISE, epoch, 0)).negElbo().meanNumber().doubleValue();
            EpochMetrics r = new EpochMetrics(epoch, scoreSum / batches, val, (System.nanoTime() - start) / 1e9, n / fitSeconds);
            results.add(r);
            if (listener != null) {
                listener.accept(r);
            }
        }
        return results;
    }

    /** A uniformly random order of 0..n-1 drawn from {@code rnd} (Fisher-Yates), the same for the same stream. */
    public static int[] permutation(int n, Random rnd) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}

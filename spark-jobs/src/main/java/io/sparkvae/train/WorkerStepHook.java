package io.sparkvae.train;

import io.sparkvae.model.Seeds;
import io.sparkvae.spark.TaskThreads;
import org.apache.spark.util.DoubleAccumulator;
import org.apache.spark.util.LongAccumulator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.spark.api.TrainingHook;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runs on the dl4j-spark workers around every minibatch step: before the update it sizes ND4J's threads to the task
 * and seeds ND4J's RNG (the VAE's eps noise); after it, it adds the minibatch's -ELBO to accumulators, so the driver
 * gets the epoch's mean training -ELBO.
 *
 * <p>Why seed per minibatch: workers are rebuilt every averaging round and all start from the same broadcast
 * state, so without this they would draw identical noise; seeding from the run seed, the epoch and the
 * minibatch's own content makes the noise distinct across workers yet reproducible for a resumed run.
 */
public final class WorkerStepHook implements TrainingHook {
    private static final long serialVersionUID = 1L;

    private final long seed;
    private final int epoch;
    private final DoubleAccumulator scoreSum;
    private final LongAccumulator exampleCount;

    public WorkerStepHook(long seed, int epoch, DoubleAccumulator scoreSum, LongAccumulator exampleCount) {
        this.seed = seed;
        this.epoch = epoch;
        this.scoreSum = scoreSum;
        this.exampleCount = exampleCount;
    }

    @Override
    public void preUpdate(DataSet minibatch, Model model) {
        TaskThreads.fitToTask();
        long content = Double.doubleToLongBits(minibatch.getFeatures().sumNumber().doubleValue());
        Nd4j.getRandom().setSeed(Seeds.of(seed, Seeds.Purpose.TRAINING_NOISE, epoch, content));
    }

    @Override
    public void postUpdate(DataSet minibatch, Model model) {
        int n = minibatch.numExamples();
        scoreSum.add(model.score() * n);
        exampleCount.add(n);
    }

    @Override
    public void preUpdate(MultiDataSet minibatch, Model model) {
        throw new UnsupportedOperationException("the VAE trains on DataSets");
    }

    @Override
    public void postUpdate(MultiDataSet minibatch, Model model) {
        throw new UnsupportedOperationException("the VAE trains on DataSets");
    }
}

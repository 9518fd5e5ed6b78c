package io.sparkvae.train;

import io.sparkvae.spark.JobLabels;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaRDD;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingWorker;

/**
 * The project's parameter averaging ({@link CompactAveragingMaster}) with its Spark jobs named for the Spark UI. {@code fitPaths} runs one epoch as a
 * count of the minibatch files, then one job per averaging round; dl4j-spark offers no listener between rounds, but
 * it asks the master for a fresh worker (with the averaged parameters) on the driver right before each round's job,
 * and splits the epoch into rounds just before the first. Both are hooked here to describe the round's job as
 * {@code train mnist-z20: epoch 7/30, averaging round 12/25}. The caller's description scope
 * ({@link JobLabels#describe}) restores what was set before, once the epoch is fitted.
 */
final class LabelledAveragingMaster extends CompactAveragingMaster {
    /** The driver's context: the master itself never travels to the executors, only the workers it makes. */
    private final transient SparkContext sc;
    private final String epochLabel;
    private int rounds;
    private int round;

    /** @param epochLabel how the epoch is named, e.g. {@code epoch 7/30} */
    LabelledAveragingMaster(ParameterAveragingTrainingMaster.Builder builder, SparkContext sc, String epochLabel) {
        super(builder);
        this.sc = sc;
        this.epochLabel = epochLabel;
    }

    @Override
    protected <T> JavaRDD<T>[] getSplitRDDs(JavaRDD<T> trainingData, int totalDataSetObjectCount, int examplesPerDataSetObject) {
        JavaRDD<T>[] splits = super.getSplitRDDs(trainingData, totalDataSetObjectCount, examplesPerDataSetObject);
        rounds = splits.length;
        return splits;
    }

    @Override
    public ParameterAveragingTrainingWorker getWorkerInstance(SparkDl4jMultiLayer network) {
        round++;
        sc.setJobDescription(JobLabels.description(sc, roundLabel()));
        return super.getWorkerInstance(network);
    }

    /** {@code epoch 7/30, averaging round 12/25}. */
    String roundLabel() {
        return epochLabel + ", averaging round " + round + "/" + rounds;
    }

    /** Averaging rounds started so far in this epoch. */
    int rounds() {
        return round;
    }

    // Lombok-generated equals/hashCode of the parent compare its fields; this master is equal only to itself.
    @Override
    public boolean equals(Object o) {
        return this == o;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }
}

package io.sparkvae.train;

import java.io.Serializable;
import java.util.Collection;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.MultiLayerUpdater;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.spark.api.TrainingHook;
import org.deeplearning4j.spark.api.WorkerConfiguration;
import org.deeplearning4j.core.storage.StatsStorageRouterProvider;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingResult;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingWorker;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * dl4j-spark's parameter averaging, with the same rounds, splits, workers and arithmetic, but the per-round traffic
 * (the broadcast of parameters and Adam state, and every worker's result) carried as plain {@code float[]} instead of
 * ND4J arrays. Java serialization writes an INDArray one value at a time (about 2.4 million values per transfer for
 * this VAE); a {@code float[]} goes in bulk. The worker's result is reduced to its arrays inside the task, so the
 * INDArray result object never leaves it.
 *
 * <p>Only what the train stage uses is supported: {@link MultiLayerNetwork}s, no training statistics, no listeners.
 */
class CompactAveragingMaster extends ParameterAveragingTrainingMaster { // LabelledAveragingMaster names its rounds

    CompactAveragingMaster(Builder builder) {
        super(builder);
        if (collectTrainingStats) {
            throw new IllegalArgumentException("training statistics are not collected by " + getClass().getSimpleName());
        }
    }

    /** What every worker starts a round from: the configuration, parameters and Adam state. */
    record StartState(MultiLayerConfiguration configuration, float[] parameters, float[] updaterState) implements Serializable {}

    @Override
    public ParameterAveragingTrainingWorker getWorkerInstance(SparkDl4jMultiLayer network) {
        MultiLayerNetwork net = network.getNetwork();
        INDArray state = net.getUpdater() == null ? null : net.getUpdater().getStateViewArray();
        StartState start = new StartState(net.getLayerWiseConfigurations(), net.params().toFloatVector(),
                state == null ? null : state.toFloatVector());
        Broadcast<StartState> broadcast = network.getSparkContext().broadcast(start);
        WorkerConfiguration configuration = new WorkerConfiguration(false, rddDataSetNumExamples, batchSizePerWorker,
                averagingFrequency, prefetchNumBatches, false);
        return new Worker(broadcast, saveUpdater, configuration, trainingHookList, listeners, getRouterProvider());
    }

    @Override
    public ParameterAveragingTrainingWorker getWorkerInstance(SparkComputationGraph graph) {
        throw new UnsupportedOperationException("the train stage trains MultiLayerNetworks only");
    }

    @Override
    protected void processResults(SparkDl4jMultiLayer network, SparkComputationGraph graph,
            JavaRDD<ParameterAveragingTrainingResult> results, int splitNum, int totalSplits) {
        if (network == null) {
            throw new UnsupportedOperationException("the train stage trains MultiLayerNetworks only");
        }
        Sum sum = results.map(Sum::of).reduce(Sum::plus);
        if (sum.count == 0) {
            return; // a split without data for any worker: nothing to average (dl4j-spark skips it too)
        }
        MultiLayerNetwork net = network.getNetwork();
        net.setParameters(Nd4j.createFromArray(sum.mean(sum.parameters)).reshape(1, sum.parameters.length));
        if (sum.updaterState != null) {
            net.getUpdater().setStateViewArray(null,
                    Nd4j.createFromArray(sum.mean(sum.updaterState)).reshape(1, sum.updaterState.length), false);
        }
        network.setScore(sum.score / sum.count);
        Nd4j.getExecutioner().commit();
        MultiLayerConfiguration conf = net.getLayerWiseConfigurations();
        conf.setIterationCount(conf.getIterationCount() + averagingFrequency);
    }

    /** Element-wise sums of the workers' parameters and Adam states, their score sum and count. */
    static final class Sum implements Serializable {
        private static final long serialVersionUID = 1L;
        final float[] parameters;
        final float[] updaterState;
        final double score;
        final int count;

        private Sum(float[] parameters, float[] updaterState, double score, int count) {
            this.parameters = parameters;
            this.updaterState = updaterState;
            this.score = score;
            this.count = count;
        }

        /** One worker's result, or an empty sum for a worker that had no data. */
        static Sum of(ParameterAveragingTrainingResult r) {
            if (r.getParameters() == null) {
                return new Sum(null, null, 0, 0);
            }
            return new Sum(r.getParameters().toFloatVector(), r.getUpdaterState() == null ? null : r.getUpdaterState().toFloatVector(),
                    r.getScore(), 1);
        }

        /** Adds {@code other} into this sum's arrays (each sum is used once, so summing in place is safe). */
        Sum plus(Sum other) {
            if (other.count == 0) {
                return this;
            }
            if (count == 0) {
                return other;
            }
            add(parameters, other.parameters);
            if (updaterState != null && other.updaterState != null) {
                add(updaterState, other.updaterState);
            }
            return new Sum(parameters, updaterState != null && other.updaterState != null ? updaterState : null,
                    score + other.score, count + other.count);
        }

        private static void add(float[] into, float[] values) {
            for (int i = 0; i < into.length; i++) {
                into[i] += values[i];
            }
        }

        float[] mean(float[] summed) {
            float[] out = new float[summed.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = summed[i] / count;
            }
            return out;
        }
    }

    /** dl4j-spark's worker, starting every round from the compact broadcast instead of its INDArray tuple. */
    static final class Worker extends ParameterAveragingTrainingWorker {
        private static final long serialVersionUID = 1L;
        private final Broadcast<StartState> start;

        Worker(Broadcast<StartState> start, boolean saveUpdater, WorkerConfiguration configuration,
                Collection<TrainingHook> trainingHooks, Collection<TrainingListener> listeners,
                StatsStorageRouterProvider routerProvider) {
            super(null, saveUpdater, configuration, trainingHooks, listeners == null ? null : List.copyOf(listeners), routerProvider);
            this.start = start;
        }

        @Override
        public MultiLayerNetwork getInitialModel() {
            StartState s = start.getValue();
            // Each task gets its own configuration (iteration counts) and its own copies of the arrays.
            MultiLayerNetwork net = new MultiLayerNetwork(s.configuration().clone());
            net.init(Nd4j.createFromArray(s.parameters()).reshape(1, s.parameters().length), false);
            if (s.updaterState() != null) {
                Updater updater = new MultiLayerUpdater(net, Nd4j.createFromArray(s.updaterState()).reshape(1, s.updaterState().length));
                net.setUpdater(updater);
            }
            Nd4j.getExecutioner().commit();
            return net;
        }
    }
}

package io.sparkvae.train;

import java.nio.FloatBuffer;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The worker networks of an executor JVM, kept from round to round. Building a network (parsing its configuration,
 * allocating its parameters, updater and workspaces) every round cost as much as a good part of the round's
 * minibatches; a kept network only has the round's start state copied into its arrays ({@link TrainingState#applyTo}).
 * Each concurrently running task borrows its own; networks of an earlier training are dropped when a new one starts.
 * A kept worker also keeps its input matrices, as the single-process trainer does: a fresh off-heap array per step is
 * memory ND4J hands back only after a garbage collection.
 */
final class WorkerNetworks {
    private static String trainingId;
    private static final Deque<Worker> IDLE = new ArrayDeque<>();

    private WorkerNetworks() {}

    /** A network and the input matrices it is fed from, by row count (a split's last minibatch may be shorter). */
    record Worker(MultiLayerNetwork net, Map<Integer, INDArray> inputs) {
        /** The minibatch's pixels copied into this worker's own matrix of its shape. */
        INDArray input(MinibatchFile.Minibatch batch) {
            INDArray x = inputs.computeIfAbsent(batch.rows(), r -> Nd4j.create(DataType.FLOAT, r, batch.cols()));
            FloatBuffer target = x.data().asNioFloat().slice().limit(batch.rows() * batch.cols());
            batch.copyInto(target);
            return x;
        }
    }

    /** A worker of {@code setup}'s training, for this task alone until {@link #giveBack}. */
    static Worker borrow(WorkerSetup setup) {
        synchronized (WorkerNetworks.class) {
            if (!setup.trainingId().equals(trainingId)) {
                IDLE.clear();
                trainingId = setup.trainingId();
            }
            Worker idle = IDLE.pollFirst();
            if (idle != null) {
                return idle;
            }
        }
        MultiLayerNetwork net = new MultiLayerNetwork(MultiLayerConfiguration.fromJson(setup.configurationJson()));
        net.init();
        net.getUpdater(true);
        return new Worker(net, new HashMap<>());
    }

    /** Drops this JVM's networks of {@code id}'s training; one still borrowed is not given back. */
    static synchronized void release(String id) {
        if (id.equals(trainingId)) {
            IDLE.clear();
            trainingId = null;
        }
    }

    /** Returns a borrowed worker (its state is overwritten by the next borrower). */
    static void giveBack(WorkerSetup setup, Worker worker) {
        synchronized (WorkerNetworks.class) {
            if (setup.trainingId().equals(trainingId)) {
                IDLE.addFirst(worker);
            }
        }
    }
}

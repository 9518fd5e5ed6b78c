package io.sparkvae.train;

import java.util.ArrayDeque;
import java.util.Deque;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * The worker networks of an executor JVM, kept from round to round. Building a network (parsing its configuration,
 * allocating its parameters, updater and workspaces) every round cost as much as a good part of the round's
 * minibatches; a kept network only has the round's start state copied into its arrays ({@link TrainingState#applyTo}).
 * Each concurrently running task borrows its own; networks of an earlier training are dropped when a new one starts.
 */
final class WorkerNetworks {
    private static String trainingId;
    private static final Deque<MultiLayerNetwork> IDLE = new ArrayDeque<>();

    private WorkerNetworks() {}

    /** A network of {@code setup}'s training, for this task alone until {@link #giveBack}. */
    static MultiLayerNetwork borrow(WorkerSetup setup) {
        synchronized (WorkerNetworks.class) {
            if (!setup.trainingId().equals(trainingId)) {
                IDLE.clear();
                trainingId = setup.trainingId();
            }
            MultiLayerNetwork idle = IDLE.pollFirst();
            if (idle != null) {
                return idle;
            }
        }
        MultiLayerNetwork net = new MultiLayerNetwork(MultiLayerConfiguration.fromJson(setup.configurationJson()));
        net.init();
        net.getUpdater(true);
        return net;
    }

    /** Returns a borrowed network (its state is overwritten by the next borrower). */
    static void giveBack(WorkerSetup setup, MultiLayerNetwork net) {
        synchronized (WorkerNetworks.class) {
            if (setup.trainingId().equals(trainingId)) {
                IDLE.addFirst(net);
            }
        }
    }
}

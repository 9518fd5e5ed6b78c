package io.sparkvae.train;

import java.io.Serializable;
import java.util.List;

/**
 * What every worker of one training needs in every round, broadcast once per training: the network's configuration,
 * the minibatch files (by escaped URI; a round names its minibatches by their index here), how many minibatches a
 * worker reads ahead of its steps, the heap an executor may fill with minibatches, and the run seed.
 *
 * @param trainingId    tells one training's cached worker networks and minibatches from another's ({@link WorkerNetworks},
 *                      {@link MinibatchCache})
 * @param cacheMegabytes heap each executor JVM's {@link MinibatchCache} may fill, in MB (0: none)
 */
record WorkerSetup(String trainingId, String configurationJson, List<String> minibatches, int prefetch, int cacheMegabytes, long seed)
        implements Serializable {}

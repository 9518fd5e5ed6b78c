package io.sparkvae.train;

import org.apache.spark.SparkContext;

/** How the states of an averaging round travel between the driver and the workers. */
enum StateExchange {
    /** Through the driver's own memory: the tasks of a local master run in its JVM ({@link InJvmHandoff}). */
    IN_JVM,
    /** A broadcast start state and the workers' states as task results, averaged on the driver: a Spark job per round. */
    DRIVER,
    /**
     * Among the workers, a barrier stage per epoch ({@link PeerEpochs}); an epoch is trained as with {@link #DRIVER}
     * when the cluster cannot run every worker at once then, allocates executors dynamically (which barrier stages
     * refuse), or the epoch fails among the workers.
     */
    PEERS;

    /** What a training on {@code sc} uses unless told otherwise. */
    static StateExchange defaultFor(SparkContext sc) {
        return sc.isLocal() ? IN_JVM : PEERS;
    }
}

package io.sparkvae.train;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The minibatches an executor JVM has read for one training, kept for the rounds and epochs after, up to
 * {@code train.cache-mb} of the JVM's heap. Every epoch visits every minibatch, and any worker may be given any
 * of them, so without it each executor reread the whole training split from the file system every epoch: a file
 * read per step that cost the two workers of a 2-core machine a sixth of their time. What does not fit is read as
 * before. A new training drops the previous one's minibatches.
 */
final class MinibatchCache {
    private static MinibatchCache current;

    private final String trainingId;
    private final long budgetBytes;
    private final ConcurrentHashMap<Integer, MinibatchFile.Minibatch> held = new ConcurrentHashMap<>();
    private final AtomicLong heldBytes = new AtomicLong();

    private MinibatchCache(String trainingId, long budgetBytes) {
        this.trainingId = trainingId;
        this.budgetBytes = budgetBytes;
    }

    /** This JVM's cache for {@code setup}'s training. */
    static synchronized MinibatchCache of(WorkerSetup setup) {
        if (current == null || !current.trainingId.equals(setup.trainingId())) {
            current = new MinibatchCache(setup.trainingId(), setup.cacheMegabytes() * 1024L * 1024L);
        }
        return current;
    }

    /** Drops what this JVM holds for {@code trainingId} (a later stage in the same JVM gets the heap back). */
    static synchronized void release(String trainingId) {
        if (current != null && current.trainingId.equals(trainingId)) {
            current = null;
        }
    }

    /** The minibatch at {@code index} if this JVM holds it, else null. */
    MinibatchFile.Minibatch get(int index) {
        return held.get(index);
    }

    /** Keeps a minibatch just read, if it fits in the budget. */
    void offer(int index, MinibatchFile.Minibatch batch) {
        long size = batch.heapBytes();
        if (heldBytes.addAndGet(size) <= budgetBytes) {
            if (held.putIfAbsent(index, batch) != null) {
                heldBytes.addAndGet(-size); // another task read it at the same time
            }
        } else {
            heldBytes.addAndGet(-size);
        }
    }

    /** Bytes held now. */
    long heldBytes() {
        return heldBytes.get();
    }
}

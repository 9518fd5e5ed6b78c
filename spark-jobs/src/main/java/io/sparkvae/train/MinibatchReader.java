package io.sparkvae.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A worker's minibatches in its order: from the executor's {@link MinibatchCache} where it holds them, otherwise read
 * up to {@code prefetch} files ahead on a background thread, so reading the next file overlaps the current step's
 * arithmetic (with {@code prefetch} 0 each file is read when it is needed), and offered to the cache.
 */
final class MinibatchReader {
    /** Reads are short and mostly waits for the file system: a small shared pool of daemon threads serves every task. */
    private static final ExecutorService READERS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "minibatch-reader");
        t.setDaemon(true);
        return t;
    });

    private final List<String> uris;
    private final int[] order;
    private final int prefetch;
    private final MinibatchCache cache;
    private final Deque<CompletableFuture<MinibatchFile.Minibatch>> ahead = new ArrayDeque<>();
    private int requested;

    MinibatchReader(List<String> uris, int[] order, int prefetch, MinibatchCache cache) {
        this.uris = uris;
        this.order = order;
        this.prefetch = prefetch;
        this.cache = cache;
    }

    /** The next minibatch; a read failure names the file. */
    MinibatchFile.Minibatch next() {
        while (ahead.size() <= prefetch && requested < order.length) {
            int index = order[requested++];
            MinibatchFile.Minibatch held = cache.get(index);
            ahead.add(held != null ? CompletableFuture.completedFuture(held)
                    : prefetch == 0 ? CompletableFuture.completedFuture(read(index))
                    : CompletableFuture.supplyAsync(() -> read(index), READERS));
        }
        try {
            return ahead.remove().join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    private MinibatchFile.Minibatch read(int index) {
        String uri = uris.get(index);
        try {
            MinibatchFile.Minibatch batch = MinibatchFile.load(uri);
            cache.offer(index, batch);
            return batch;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read minibatch " + uri, e);
        }
    }
}

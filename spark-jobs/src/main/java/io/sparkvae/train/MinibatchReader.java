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
 * A worker's minibatches in its order, read up to {@code prefetch} files ahead on a background thread, so reading the
 * next file overlaps the current step's arithmetic. With {@code prefetch} 0 each file is read when it is needed.
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
    private final Deque<CompletableFuture<MinibatchFile.Minibatch>> ahead = new ArrayDeque<>();
    private int requested;

    MinibatchReader(List<String> uris, int[] order, int prefetch) {
        this.uris = uris;
        this.order = order;
        this.prefetch = prefetch;
    }

    /** The next minibatch; a read failure names the file. */
    MinibatchFile.Minibatch next() {
        if (prefetch == 0) {
            return read(uris.get(order[requested++]));
        }
        while (ahead.size() <= prefetch && requested < order.length) {
            String uri = uris.get(order[requested++]);
            ahead.add(CompletableFuture.supplyAsync(() -> read(uri), READERS));
        }
        try {
            return ahead.remove().join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    private static MinibatchFile.Minibatch read(String uri) {
        try {
            return MinibatchFile.load(uri);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read minibatch " + uri, e);
        }
    }
}

package io.sparkvae.train;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * TCP connections among the worker tasks of one epoch, which average their states without the driver: each worker owns
 * a contiguous slice of the state (parameters, then Adam's), receives that slice from every peer, sums it in worker
 * order and divides, exactly as {@link OrderedMean} does for the whole state on the driver, then sends the mean slice
 * to every peer (a reduce-scatter, then an all-gather). Each worker sends and receives about twice its share of the
 * state per round, whatever the number of workers, where the driver sends and receives the whole state once per worker.
 *
 * <p>A peer identifies itself with the epoch's token before anything else, so a stray connection is refused. Reads
 * wake every second to ask whether the task was killed (Spark kills the other tasks of a barrier stage when one fails),
 * and a peer that dies closes its connections, which ends the round with an error and Spark retries the stage.
 */
final class PeerMesh implements AutoCloseable {
    private static final int POLL_MILLIS = 1_000;
    private static final int NONE = 0;
    private static final int CONTRIBUTES = 1;
    private static final String WORKER = "training worker ";

    private final int self;
    private final Socket[] sockets;
    private final ExecutorService[] senders;
    private final BooleanSupplier killed;
    private int round;

    private PeerMesh(int self, Socket[] sockets, BooleanSupplier killed) {
        this.self = self;
        this.sockets = sockets;
        this.killed = killed;
        this.senders = new ExecutorService[sockets.length];
        for (int peer = 0; peer < sockets.length; peer++) {
            if (peer != self) {
                int p = peer;
                senders[peer] = Executors.newSingleThreadExecutor(r -> {
                    Thread t = new Thread(r, "peer-mesh-send-" + self + "-to-" + p);
                    t.setDaemon(true);
                    return t;
                });
            }
        }
    }

    /** A worker's listening socket, open before the workers exchange their addresses. */
    static final class Listener implements AutoCloseable {
        private final ServerSocket server;
        private final String host;

        private Listener(ServerSocket server, String host) {
            this.server = server;
            this.host = host;
        }

        /** Listens on every interface; peers are told {@code host}, the name this executor is known by. */
        static Listener open(String host) {
            try {
                ServerSocket server = new ServerSocket(0);
                server.setSoTimeout(POLL_MILLIS);
                return new Listener(server, host);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot listen for the other training workers", e);
            }
        }

        /** {@code host:port}, for the other workers. */
        String address() {
            return host + ":" + server.getLocalPort();
        }

        /**
         * Connects worker {@code self} with every other one: it dials the workers before it and accepts the ones after.
         *
         * @param addresses every worker's {@link #address()}, in worker order
         * @param token     what every worker of this epoch (and stage attempt) sends first
         * @param timeoutMillis how long to wait for all peers to connect
         * @param killed    whether the task has been killed (checked while waiting)
         */
        PeerMesh join(int self, List<String> addresses, String token, long timeoutMillis, BooleanSupplier killed) {
            int workers = addresses.size();
            Socket[] sockets = new Socket[workers];
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
            byte[] hello = hello(token);
            try {
                for (int peer = 0; peer < self; peer++) {
                    Socket s = dial(addresses.get(peer), deadline, killed);
                    OutputStream out = s.getOutputStream();
                    out.write(hello);
                    out.write(ByteBuffer.allocate(Integer.BYTES).putInt(self).array());
                    out.flush();
                    sockets[peer] = s;
                }
                for (int accepted = self + 1; accepted < workers; accepted++) {
                    Socket s = accept(deadline, killed);
                    byte[] theirs = new byte[hello.length + Integer.BYTES];
                    readFully(s.getInputStream(), theirs, 0, theirs.length, deadline, killed, "a connecting worker");
                    int peer = ByteBuffer.wrap(theirs, hello.length, Integer.BYTES).getInt();
                    if (!Arrays.equals(Arrays.copyOf(theirs, hello.length), hello) || peer <= self || peer >= workers
                            || sockets[peer] != null) {
                        s.close();
                        accepted--; // not one of ours: keep waiting for the real peer
                        continue;
                    }
                    sockets[peer] = s;
                }
                return new PeerMesh(self, sockets, killed);
            } catch (IOException e) {
                closeAll(sockets);
                throw new UncheckedIOException("training worker " + self + " could not connect to the other workers", e);
            } catch (RuntimeException e) {
                closeAll(sockets);
                throw e;
            }
        }

        private Socket accept(long deadline, BooleanSupplier killed) throws IOException {
            while (true) {
                try {
                    Socket s = server.accept();
                    configure(s);
                    return s;
                } catch (SocketTimeoutException e) {
                    checkWaiting(deadline, killed, "the other workers to connect");
                }
            }
        }

        @Override
        public void close() {
            try {
                server.close();
            } catch (IOException e) {
                // nothing to keep
            }
        }
    }

    private static Socket dial(String address, long deadline, BooleanSupplier killed) throws IOException {
        InetSocketAddress to = endpoint(address);
        while (true) {
            Socket s = new Socket();
            try {
                s.connect(to, POLL_MILLIS);
                configure(s);
                return s;
            } catch (IOException e) {
                s.close();
                if (System.nanoTime() > deadline) {
                    throw new IOException("cannot connect to training worker at " + address, e);
                }
                checkWaiting(deadline, killed, "training worker at " + address);
                sleep(50);
            }
        }
    }

    private static void configure(Socket s) throws IOException {
        s.setSoTimeout(POLL_MILLIS);
        s.setTcpNoDelay(true);
    }

    private static byte[] hello(String token) {
        byte[] t = token.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(Integer.BYTES + t.length).putInt(t.length).put(t).array();
    }

    /**
     * The mean of the contributing workers' states, as every worker of the mesh gets it. Every worker calls this once per
     * round, in the same rounds.
     *
     * @param own       this worker's state after its share of the round, in place (its network), or null when it fitted
     *                  nothing (it does not weigh in); only read, and only until this returns
     * @param start     the round's start state, kept when no worker contributes
     * @param iteration Adam's iteration count of the mean
     */
    TrainingState average(StateView own, TrainingState start, int iteration) {
        round++;
        int workers = sockets.length;
        StateSlices layout = own != null ? StateSlices.of(own, workers) : StateSlices.of(start, workers);
        List<Future<?>> sends = new ArrayList<>();
        try {
            for (int peer = 0; peer < workers; peer++) {
                if (peer != self) {
                    int p = peer;
                    sends.add(senders[peer].submit(() -> send(p, own, layout)));
                }
            }
            // Reduce: this worker's slice, summed in worker order straight into the new state's arrays.
            TrainingState mean = new TrainingState(layout.newParameterBytes(), layout.newUpdaterBytes(), iteration);
            MeanSlice sum = new MeanSlice(layout.parts(StateView.of(mean), self));
            for (int w = 0; w < workers; w++) {
                if (w == self) {
                    if (own != null) {
                        sum.add(layout.parts(own, self));
                    }
                } else if (receiveHeader(w, layout.length(self) * Float.BYTES) != NONE) {
                    InputStream in = sockets[w].getInputStream();
                    String peer = WORKER + w;
                    sum.add((b, off, len) -> readFully(in, b, off, len, Long.MAX_VALUE, killed, peer));
                }
            }
            awaitAll(sends);
            if (sum.contributing() == 0) {
                return start;
            }
            sum.finish();
            // Gather: every worker's mean slice, into the same state.
            sends.clear();
            int meanOf = sum.contributing();
            for (int peer = 0; peer < workers; peer++) {
                if (peer != self) {
                    int p = peer;
                    sends.add(senders[peer].submit(() -> sendMean(p, meanOf, mean, layout)));
                }
            }
            for (int w = 0; w < workers; w++) {
                if (w != self) {
                    receiveInto(w, layout, mean.parameters(), mean.updaterState());
                }
            }
            awaitAll(sends);
            return mean;
        } catch (IOException e) {
            throw new UncheckedIOException("training worker " + self + ": averaging round " + round + " with the other workers failed", e);
        }
    }

    /** Sends {@code peer} its slice of {@code own} (nothing but the header when this worker does not contribute). */
    private Void send(int peer, StateView own, StateSlices layout) throws IOException {
        OutputStream out = sockets[peer].getOutputStream();
        int flag = own == null ? NONE : CONTRIBUTES;
        out.write(header(flag, flag == NONE ? 0 : layout.length(peer) * Float.BYTES));
        if (flag != NONE) {
            layout.write(own, peer, out);
        }
        out.flush();
        return null;
    }

    /** Sends {@code peer} this worker's slice of the mean, straight from the mean's arrays. */
    private Void sendMean(int peer, int meanOf, TrainingState mean, StateSlices layout) throws IOException {
        OutputStream out = sockets[peer].getOutputStream();
        out.write(header(meanOf, layout.length(self) * Float.BYTES));
        layout.write(mean, self, out);
        out.flush();
        return null;
    }

    private byte[] header(int flag, int length) {
        return ByteBuffer.allocate(3 * Integer.BYTES).putInt(round).putInt(flag).putInt(length).array();
    }

    /** Peer {@code w}'s mean slice, read straight to its place in the state's two arrays. */
    private void receiveInto(int w, StateSlices layout, byte[] parameters, byte[] updater) throws IOException {
        if (receiveHeader(w, layout.length(w) * Float.BYTES) == NONE) {
            throw new IOException(WORKER + w + " sent no mean slice in round " + round);
        }
        InputStream in = sockets[w].getInputStream();
        layout.read((b, off, len) -> readFully(in, b, off, len, Long.MAX_VALUE, killed, WORKER + w), w, parameters, updater);
    }

    /** Reads peer {@code w}'s next header and returns its flag; a slice of another round or length is an error. */
    private int receiveHeader(int w, int expectedLength) throws IOException {
        byte[] header = new byte[3 * Integer.BYTES];
        readFully(sockets[w].getInputStream(), header, 0, header.length, Long.MAX_VALUE, killed, WORKER + w);
        ByteBuffer h = ByteBuffer.wrap(header);
        int theirRound = h.getInt();
        int flag = h.getInt();
        int length = h.getInt();
        if (theirRound != round || (flag != NONE && length != expectedLength)) {
            throw new IOException("training worker " + w + " sent round " + theirRound + " with " + length + " bytes, expected round "
                    + round + " with " + expectedLength);
        }
        return flag;
    }

    private void awaitAll(List<Future<?>> sends) throws IOException {
        for (Future<?> f : sends) {
            while (true) {
                try {
                    f.get(POLL_MILLIS, TimeUnit.MILLISECONDS);
                    break;
                } catch (TimeoutException e) {
                    checkWaiting(Long.MAX_VALUE, killed, "the other workers to take this worker's state");
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while sending to the other workers", e);
                }
            }
        }
    }

    /**
     * Reads {@code len} bytes from a socket whose reads time out every {@link #POLL_MILLIS}, asking between timeouts
     * whether the task was killed or {@code deadline} passed ({@code Long.MAX_VALUE}: none); {@code what} names the peer.
     */
    static void readFully(InputStream in, byte[] b, int off, int len, long deadline, BooleanSupplier killed, String what)
            throws IOException {
        int done = 0;
        while (done < len) {
            try {
                int n = in.read(b, off + done, len - done);
                if (n < 0) {
                    throw new EOFException(what + " closed the connection");
                }
                done += n;
            } catch (SocketTimeoutException e) {
                checkWaiting(deadline, killed, what);
            }
        }
    }

    /** {@code host:port} as a socket address (the host may be a name or an address). */
    static InetSocketAddress endpoint(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        return new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    }

    private static void checkWaiting(long deadline, BooleanSupplier killed, String what) throws IOException {
        if (killed.getAsBoolean()) {
            throw new IOException("task killed while waiting for " + what);
        }
        if (System.nanoTime() > deadline) {
            throw new IOException("timed out waiting for " + what);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeAll(Socket[] sockets) {
        for (Socket s : sockets) {
            if (s != null) {
                try {
                    s.close();
                } catch (IOException e) {
                    // closing anyway
                }
            }
        }
    }

    @Override
    public void close() {
        closeAll(sockets);
        for (ExecutorService s : senders) {
            if (s != null) {
                s.shutdownNow();
            }
        }
    }
}

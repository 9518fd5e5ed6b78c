package io.sparkvae.train;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

/**
 * Where the workers of an epoch learn each other's addresses, and where the driver gets the epoch's final state: a
 * socket on the driver, open for one training. Each worker task sends its epoch's token, its index and the address it
 * listens on; once all of them have, each gets every address in worker order. (Spark's own
 * {@code BarrierTaskContext.allGather} does the same through the driver's RPC but answers a second late at the earliest:
 * it sleeps while it waits.) At the end of the epoch every worker hands its slice of the mean state here as soon as
 * it has averaged it, while the workers still gather the other slices, and the driver puts the state back together: a
 * Spark task result of 10-30 MB took 0.15-0.35 s more to reach the driver than the other workers' small ones, and worker
 * 0 sending the whole state after the epoch took 30-100 ms of its task.
 */
final class PeerRendezvous implements AutoCloseable {
    private static final int REGISTRATION_TIMEOUT_MILLIS = 10_000;
    private static final int POLL_MILLIS = 1_000;
    private static final byte MEET = 1;
    private static final byte END = 2;

    private final ServerSocket server;
    private final String address;
    /** Workers registered so far, by token, then index; a group is answered and dropped when complete. */
    private final Map<String, TreeMap<Integer, Registered>> groups = new HashMap<>();
    /** Epochs' final states being delivered or delivered and not yet taken, by epoch key. */
    private final Map<String, EndState> ends = new HashMap<>();
    private final Thread acceptor;
    /** Reads the slices of an epoch's state, which the workers send at once. */
    private final ExecutorService receivers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "training-workers-end-state");
        t.setDaemon(true);
        return t;
    });

    private record Registered(Socket socket, String address) {}

    /** An epoch's final state as its slices arrive; whole once every slice has. */
    private static final class EndState {
        final StateSlices slices;
        final int iteration;
        final byte[] parameters;
        final byte[] updater;
        final boolean[] arrived;
        int missing;

        EndState(StateSlices slices, int iteration) {
            this.slices = slices;
            this.iteration = iteration;
            this.parameters = slices.newParameterBytes();
            this.updater = slices.newUpdaterBytes();
            this.arrived = new boolean[slices.workers()];
            this.missing = slices.workers();
        }
    }

    private PeerRendezvous(ServerSocket server, String host) {
        this.server = server;
        this.address = host + ":" + server.getLocalPort();
        this.acceptor = new Thread(this::acceptAll, "training-workers-rendezvous");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Listens on every interface; workers are told {@code driverHost}, the name the executors know the driver by. */
    static PeerRendezvous open(String driverHost) {
        try {
            return new PeerRendezvous(new ServerSocket(0), driverHost);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the training workers' rendezvous on the driver", e);
        }
    }

    /** {@code host:port}, for the workers. */
    String address() {
        return address;
    }

    private void acceptAll() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                try {
                    register(s);
                } catch (IOException | RuntimeException e) {
                    s.close(); // a stranger or a worker that died while registering: its epoch fails on its own side
                }
            } catch (IOException e) {
                // closed, or a failed accept: the loop condition decides
            }
        }
    }

    private void register(Socket s) throws IOException {
        s.setSoTimeout(REGISTRATION_TIMEOUT_MILLIS);
        DataInputStream in = new DataInputStream(s.getInputStream());
        byte kind = in.readByte();
        if (kind == END) {
            receivers.execute(() -> {
                try {
                    receiveSlice(s, in);
                } catch (IOException | RuntimeException e) {
                    closeQuietly(s); // the worker's task fails without the driver's confirmation
                }
            });
            return;
        }
        if (kind != MEET) {
            throw new IOException("unknown message");
        }
        String token = in.readUTF();
        int self = in.readInt();
        int workers = in.readInt();
        String workerAddress = in.readUTF();
        if (workers < 1 || self < 0 || self >= workers) {
            throw new IOException("bad registration");
        }
        TreeMap<Integer, Registered> group;
        synchronized (groups) {
            group = groups.computeIfAbsent(token, t -> new TreeMap<>());
            Registered earlier = group.put(self, new Registered(s, workerAddress));
            if (earlier != null) {
                earlier.socket().close();
            }
            if (group.size() < workers) {
                return;
            }
            groups.remove(token);
        }
        for (Registered r : group.values()) {
            try (Socket peer = r.socket()) {
                DataOutputStream out = new DataOutputStream(peer.getOutputStream());
                out.writeInt(workers);
                for (Registered each : group.values()) {
                    out.writeUTF(each.address());
                }
                out.flush();
            } catch (IOException e) {
                // that worker is gone; the others find out when it does not connect
            }
        }
    }

    private void receiveSlice(Socket s, DataInputStream in) throws IOException {
        try (s) {
            String key = in.readUTF();
            int iteration = in.readInt();
            StateSlices slices = new StateSlices(in.readInt(), in.readInt(), in.readInt());
            int slice = in.readInt();
            if (slice < 0 || slice >= slices.workers()) {
                throw new IOException("bad slice " + slice);
            }
            byte[] bytes = new byte[slices.length(slice) * Float.BYTES];
            in.readFully(bytes);
            synchronized (ends) {
                EndState end = ends.computeIfAbsent(key, k -> new EndState(slices, iteration));
                if (!end.slices.equals(slices) || end.iteration != iteration) {
                    throw new IOException("slice " + slice + " of " + key + " does not fit the others");
                }
                slices.place(bytes, slice, end.parameters, end.updater);
                if (!end.arrived[slice]) {
                    end.arrived[slice] = true;
                    end.missing--;
                }
            }
            s.getOutputStream().write(1); // the worker's task ends only once the driver holds its slice
            s.getOutputStream().flush();
        }
    }

    /**
     * A worker's side: hands its slice of the epoch's final state to the driver and returns once the driver holds it.
     *
     * @param slices the state's slices ({@link StateSlices#of} the state and the number of workers)
     * @param slice  which of them {@code bytes} is (the worker's index)
     */
    static void deliverSlice(String rendezvous, String epochKey, int iteration, StateSlices slices, int slice, byte[] bytes) {
        try (Socket s = new Socket()) {
            s.connect(PeerMesh.endpoint(rendezvous), REGISTRATION_TIMEOUT_MILLIS);
            s.setSoTimeout(REGISTRATION_TIMEOUT_MILLIS);
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(s.getOutputStream(), 1 << 16));
            out.writeByte(END);
            out.writeUTF(epochKey);
            out.writeInt(iteration);
            out.writeInt(slices.parameters());
            out.writeInt(slices.updater());
            out.writeInt(slices.workers());
            out.writeInt(slice);
            out.write(bytes);
            out.flush();
            if (s.getInputStream().read() != 1) {
                throw new IOException("the driver did not confirm it holds slice " + slice);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not hand slice " + slice + " of the epoch's state to the driver at " + rendezvous, e);
        }
    }

    /**
     * The final state the workers delivered for {@code epochKey} (once its stage has succeeded), or null when a slice is
     * missing; forgets the epoch either way.
     */
    TrainingState takeEnd(String epochKey) {
        synchronized (ends) {
            EndState end = ends.remove(epochKey);
            return end == null || end.missing > 0 ? null : new TrainingState(end.parameters, end.updater, end.iteration);
        }
    }

    /**
     * Worker {@code self}'s side: registers {@code ownAddress} under {@code token} and returns every worker's address
     * in worker order, once all {@code workers} have registered.
     */
    static List<String> meet(String rendezvous, String token, int self, int workers, String ownAddress, long timeoutMillis,
            BooleanSupplier killed) {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        try (Socket s = new Socket()) {
            s.connect(PeerMesh.endpoint(rendezvous), REGISTRATION_TIMEOUT_MILLIS);
            s.setSoTimeout(POLL_MILLIS);
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            out.writeByte(MEET);
            out.writeUTF(token);
            out.writeInt(self);
            out.writeInt(workers);
            out.writeUTF(ownAddress);
            out.flush();
            DataInputStream in = new DataInputStream(s.getInputStream());
            byte[] first = new byte[Integer.BYTES];
            PeerMesh.readFully(in, first, 0, first.length, deadline, killed, "the other workers to register");
            int count = ByteBuffer.wrap(first).getInt();
            if (count != workers) {
                throw new IOException("the rendezvous answered for " + count + " workers, not " + workers);
            }
            String[] addresses = new String[workers];
            s.setSoTimeout(REGISTRATION_TIMEOUT_MILLIS); // the rest follows at once
            for (int i = 0; i < workers; i++) {
                addresses[i] = in.readUTF();
            }
            return List.of(addresses);
        } catch (IOException e) {
            throw new UncheckedIOException("training worker " + self + " could not meet the other workers at " + rendezvous, e);
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    /** Stops listening and drops the workers still waiting (their tasks fail and Spark retries the stage). */
    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        receivers.shutdownNow();
        synchronized (groups) {
            for (TreeMap<Integer, Registered> group : groups.values()) {
                for (Registered r : group.values()) {
                    try {
                        r.socket().close();
                    } catch (IOException e) {
                        // closing anyway
                    }
                }
            }
            groups.clear();
        }
        synchronized (ends) {
            ends.clear();
        }
    }
}

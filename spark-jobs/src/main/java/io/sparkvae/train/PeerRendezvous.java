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
import java.util.function.BooleanSupplier;

/**
 * Where the workers of an epoch learn each other's addresses, and where the driver gets the epoch's final state: a
 * socket on the driver, open for one training. Each worker task sends its epoch's token, its index and the address it
 * listens on; once all of them have, each gets every address in worker order. (Spark's own
 * {@code BarrierTaskContext.allGather} does the same through the driver's RPC but answers a second late at the earliest:
 * it sleeps while it waits.) Worker 0 then sends the epoch's mean state here: a Spark task result of 10-30 MB took
 * 0.15-0.35 s more to reach the driver than the other workers' small ones.
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
    /** Epochs' final states delivered and not yet taken, by epoch key. */
    private final Map<String, TrainingState> ends = new HashMap<>();
    private final Thread acceptor;

    private record Registered(Socket socket, String address) {}

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
            receiveEnd(s, in);
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

    private void receiveEnd(Socket s, DataInputStream in) throws IOException {
        try (s) {
            String key = in.readUTF();
            int iteration = in.readInt();
            byte[] parameters = readArray(in);
            byte[] updater = readArray(in);
            synchronized (ends) {
                ends.put(key, new TrainingState(parameters, updater, iteration));
            }
            s.getOutputStream().write(1); // the worker's task ends only once the driver holds the state
            s.getOutputStream().flush();
        }
    }

    private static byte[] readArray(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            return null;
        }
        byte[] b = new byte[length];
        in.readFully(b);
        return b;
    }

    private static void writeArray(DataOutputStream out, byte[] b) throws IOException {
        out.writeInt(b == null ? -1 : b.length);
        if (b != null) {
            out.write(b);
        }
    }

    /** Worker 0's side: hands the epoch's final state to the driver and returns once the driver holds it. */
    static void deliverEnd(String rendezvous, String epochKey, TrainingState end) {
        try (Socket s = new Socket()) {
            s.connect(PeerMesh.endpoint(rendezvous), REGISTRATION_TIMEOUT_MILLIS);
            s.setSoTimeout(REGISTRATION_TIMEOUT_MILLIS);
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(s.getOutputStream(), 1 << 16));
            out.writeByte(END);
            out.writeUTF(epochKey);
            out.writeInt(end.iteration());
            writeArray(out, end.parameters());
            writeArray(out, end.updaterState());
            out.flush();
            if (s.getInputStream().read() != 1) {
                throw new IOException("the driver did not confirm it holds the state");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not hand the epoch's state to the driver at " + rendezvous, e);
        }
    }

    /** The final state worker 0 delivered for {@code epochKey} (once its stage has succeeded), or null. */
    TrainingState takeEnd(String epochKey) {
        synchronized (ends) {
            return ends.remove(epochKey);
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

    /** Stops listening and drops the workers still waiting (their tasks fail and Spark retries the stage). */
    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
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

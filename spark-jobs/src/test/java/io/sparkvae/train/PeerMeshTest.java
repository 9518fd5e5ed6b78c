package io.sparkvae.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Workers averaging over real loopback connections, one thread each: every worker ends with the bits the driver's
 * {@link OrderedMean} computes, whoever contributes; strangers are refused; a worker that fails or is killed ends the
 * others' round with an error instead of a hang.
 */
class PeerMeshTest {
    private static final String TOKEN = "training/1/0";
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        threads.shutdownNow();
    }

    private static TrainingState state(long seed, int parameters, int updater, int iteration) {
        Random r = new Random(seed);
        float[] p = new float[parameters];
        float[] u = updater == 0 ? null : new float[updater];
        for (int i = 0; i < p.length; i++) {
            p[i] = (float) r.nextGaussian();
        }
        for (int i = 0; u != null && i < u.length; i++) {
            u[i] = r.nextFloat() * 1e-3f;
        }
        p[0] = -0.0f; // a signed zero: copied first, not added to zero, as the driver does
        return TrainingState.of(p, u, iteration);
    }

    private static TrainingState driverMean(List<TrainingState> states, boolean[] contributes, int iteration) {
        OrderedMean mean = new OrderedMean(states.size());
        for (int w = 0; w < states.size(); w++) {
            mean.accept(w, new WorkerResult(states.get(w), 0, contributes[w] ? 1 : 0, RoundCosts.NONE));
        }
        return mean.mean(iteration);
    }

    /** Runs {@code round} on {@code workers} joined workers, one thread each; their results by worker. */
    private <T> List<T> onMesh(int workers, AtomicBoolean killed, Function<Integer, PeerMesh.Listener> listen,
            RoundsOf<T> round) throws Exception {
        List<PeerMesh.Listener> listeners = new ArrayList<>();
        List<String> addresses = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            listeners.add(listen.apply(w));
            addresses.add(listeners.get(w).address());
        }
        List<Future<T>> futures = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            int self = w;
            futures.add(threads.submit(() -> {
                try (PeerMesh.Listener l = listeners.get(self); PeerMesh mesh = l.join(self, addresses, TOKEN, 20_000, killed::get)) {
                    return round.run(self, mesh);
                }
            }));
        }
        List<T> results = new ArrayList<>();
        for (Future<T> f : futures) {
            results.add(f.get(60, TimeUnit.SECONDS));
        }
        return results;
    }

    interface RoundsOf<T> {
        T run(int self, PeerMesh mesh) throws Exception;
    }

    @Test
    void everyWorkerGetsTheDriversMeanWhoeverContributes() throws Exception {
        int workers = 3;
        List<TrainingState> round1 = List.of(state(1, 1001, 2002, 7), state(2, 1001, 2002, 7), state(3, 1001, 2002, 7));
        List<TrainingState> round2 = List.of(state(4, 1001, 2002, 9), state(5, 1001, 2002, 9), state(6, 1001, 2002, 9));
        TrainingState start = state(7, 1001, 2002, 5);
        boolean[] all = {true, true, true};
        boolean[] lastIdle = {true, true, false};

        List<List<TrainingState>> results = onMesh(workers, new AtomicBoolean(), w -> PeerMesh.Listener.open("127.0.0.1"), (self, mesh) -> {
            TrainingState a = mesh.average(StateView.of(round1.get(self)), start, 8);
            TrainingState b = mesh.average(lastIdle[self] ? StateView.of(round2.get(self)) : null, start, 10);
            TrainingState c = mesh.average(null, start, 11);
            return List.of(a, b, c);
        });

        TrainingState expected1 = driverMean(round1, all, 8);
        TrainingState expected2 = driverMean(round2, lastIdle, 10);
        for (List<TrainingState> r : results) {
            assertArrayEquals(expected1.parameters(), r.get(0).parameters(), "parameters: the driver's mean, bit for bit");
            assertArrayEquals(expected1.updaterState(), r.get(0).updaterState(), "Adam's state likewise");
            assertEquals(8, r.get(0).iteration());
            assertArrayEquals(expected2.parameters(), r.get(1).parameters(), "an idle worker does not weigh in");
            assertArrayEquals(expected2.updaterState(), r.get(1).updaterState());
            assertSame(start, r.get(2), "no contributor: the round's start state stays");
        }
        assertEquals(Float.floatToRawIntBits(-0.0f), Float.floatToRawIntBits(results.get(2).get(0).parameterValues()[0]),
                "the signed zero survives as on the driver");
    }

    @Test
    void aStateWithoutUpdaterAndMoreWorkersThanFloatsAverageToo() throws Exception {
        List<TrainingState> states = List.of(state(1, 3, 0, 1), state(2, 3, 0, 1), state(3, 3, 0, 1), state(4, 3, 0, 1));
        boolean[] all = {true, true, true, true};
        List<TrainingState> results = onMesh(4, new AtomicBoolean(), w -> PeerMesh.Listener.open("127.0.0.1"),
                (self, mesh) -> mesh.average(StateView.of(states.get(self)), states.get(self), 2));
        TrainingState expected = driverMean(states, all, 2);
        for (TrainingState r : results) {
            assertArrayEquals(expected.parameters(), r.parameters());
            assertNull(r.updaterState());
        }
    }

    @Test
    void aStrangerIsRefusedAndThePeersStillJoin() throws Exception {
        List<TrainingState> states = List.of(state(1, 10, 10, 1), state(2, 10, 10, 1));
        List<TrainingState> results = onMesh(2, new AtomicBoolean(), w -> {
            PeerMesh.Listener l = PeerMesh.Listener.open("127.0.0.1");
            if (w == 0) {
                String address = l.address();
                try (Socket stranger = new Socket("127.0.0.1", Integer.parseInt(address.substring(address.lastIndexOf(':') + 1)))) {
                    OutputStream out = stranger.getOutputStream();
                    byte[] wrong = "another training/1/0".getBytes(StandardCharsets.UTF_8);
                    out.write(java.nio.ByteBuffer.allocate(8 + wrong.length).putInt(wrong.length).put(wrong).putInt(1).array());
                    out.flush();
                } catch (java.io.IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return l;
        }, (self, mesh) -> mesh.average(StateView.of(states.get(self)), states.get(self), 2));
        boolean[] all = {true, true};
        assertArrayEquals(driverMean(states, all, 2).parameters(), results.get(1).parameters());
    }

    @Test
    void aWorkerThatFailsEndsTheOthersRoundWithAnError() throws Exception {
        List<TrainingState> states = List.of(state(1, 10, 10, 1), state(2, 10, 10, 1), state(3, 10, 10, 1));
        ExecutionException failed = assertThrows(ExecutionException.class, () -> onMesh(3, new AtomicBoolean(),
                w -> PeerMesh.Listener.open("127.0.0.1"), (self, mesh) -> {
                    if (self == 1) {
                        throw new IllegalStateException("worker 1 failed before averaging");
                    }
                    return mesh.average(StateView.of(states.get(self)), states.get(self), 2);
                }));
        assertTrue(failed.getCause() instanceof UncheckedIOException, "worker 0 sees its peer's connection end: " + failed.getCause());
    }

    @Test
    void aKilledTaskStopsWaitingForItsPeers() throws Exception {
        AtomicBoolean killed = new AtomicBoolean();
        List<TrainingState> states = List.of(state(1, 10, 10, 1), state(2, 10, 10, 1));
        ExecutionException failed = assertThrows(ExecutionException.class, () -> onMesh(2, killed,
                w -> PeerMesh.Listener.open("127.0.0.1"), (self, mesh) -> {
                    if (self == 1) {
                        killed.set(true); // Spark marks the barrier stage's tasks killed; worker 1 never sends
                        Thread.sleep(3_000);
                        return null;
                    }
                    return mesh.average(StateView.of(states.get(self)), states.get(self), 2);
                }));
        assertTrue(failed.getCause().getMessage().contains("averaging round 1"), failed.getCause().getMessage());
        assertTrue(failed.getCause().getCause().getMessage().contains("task killed"), failed.getCause().getCause().getMessage());
    }
}

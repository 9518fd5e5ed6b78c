package io.sparkvae.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The driver's rendezvous over real loopback sockets: workers meet by token, and the epoch's state reaches the driver. */
class PeerRendezvousTest {
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final PeerRendezvous rendezvous = PeerRendezvous.open("127.0.0.1");

    @AfterEach
    void stop() {
        rendezvous.close();
        threads.shutdownNow();
    }

    private List<Future<List<String>>> meet(String token, int workers, AtomicBoolean killed) {
        List<Future<List<String>>> answers = new ArrayList<>();
        for (int w = workers - 1; w >= 0; w--) { // last worker first: the answer is in worker order all the same
            int self = w;
            answers.add(0, threads.submit(() -> PeerRendezvous.meet(rendezvous.address(), token, self, workers, "worker-" + self + ":" + (7000 + self),
                    20_000, killed::get)));
        }
        return answers;
    }

    @Test
    void workersOfOneEpochGetEveryAddressInWorkerOrderAndOtherEpochsDoNotMix() throws Exception {
        // A stranger first: garbage on the socket must not stop the workers after it.
        String[] hostPort = rendezvous.address().split(":");
        try (Socket stranger = new Socket(hostPort[0], Integer.parseInt(hostPort[1]))) {
            OutputStream out = stranger.getOutputStream();
            out.write(new byte[] {9, 9, 9});
            out.flush();
        }
        List<Future<List<String>>> epoch1 = meet("training/1/0", 3, new AtomicBoolean());
        List<Future<List<String>>> epoch2 = meet("training/2/0", 2, new AtomicBoolean());
        for (Future<List<String>> answer : epoch1) {
            assertEquals(List.of("worker-0:7000", "worker-1:7001", "worker-2:7002"), answer.get(30, TimeUnit.SECONDS));
        }
        for (Future<List<String>> answer : epoch2) {
            assertEquals(List.of("worker-0:7000", "worker-1:7001"), answer.get(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void aKilledWorkerStopsWaitingForTheOthers() {
        AtomicBoolean killed = new AtomicBoolean();
        Future<List<String>> alone = threads.submit(() -> PeerRendezvous.meet(rendezvous.address(), "training/1/0", 1, 2, "worker-1:7001",
                20_000, killed::get)); // worker 0 never comes
        killed.set(true);
        Exception e = assertThrows(Exception.class, () -> alone.get(30, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof UncheckedIOException, String.valueOf(e.getCause()));
        assertTrue(e.getCause().getCause().getMessage().contains("task killed"), e.getCause().getCause().getMessage());
    }

    @Test
    void theEpochsStateReachesTheDriverOnceWhole() {
        TrainingState end = TrainingState.of(new float[] {1.5f, -0.0f, 3e-9f}, new float[] {4f, 5f}, 17);
        PeerRendezvous.deliverEnd(rendezvous.address(), "training/3", end);
        PeerRendezvous.deliverEnd(rendezvous.address(), "training/4", TrainingState.of(new float[] {1f}, null, 2));
        TrainingState got = rendezvous.takeEnd("training/3");
        assertArrayEquals(end.parameters(), got.parameters());
        assertArrayEquals(end.updaterState(), got.updaterState());
        assertEquals(17, got.iteration());
        assertNull(rendezvous.takeEnd("training/3"), "taken once");
        assertNull(rendezvous.takeEnd("training/4").updaterState(), "a state without updater arrives without one");
    }
}

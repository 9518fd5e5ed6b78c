package io.sparkvae.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import io.sparkvae.io.BadInputException;
import io.sparkvae.io.HadoopFiles;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The output lock on the real local file system: exclusive, names its holder, and never blocks a rerun of a dead run. */
class OutputLockTest {
    private static final HadoopFiles FILES = HadoopFiles.withDefaults();
    private static final OutputLock.Timing DEFAULT = OutputLock.Timing.DEFAULT;

    @TempDir
    java.nio.file.Path tmp;

    private final List<String> notes = new CopyOnWriteArrayList<>();

    private Path output() {
        return FILES.path(tmp.resolve("runs/r1/model").toString());
    }

    private OutputLock acquire(Path output, OutputLock.Timing timing) {
        return OutputLock.acquire(FILES, output, "train", timing, notes::add);
    }

    /** Writes a lock file as another run would have left it, last refreshed {@code ageSeconds} ago. */
    private void plantLock(Path output, OutputLock.Holder holder, long ageSeconds) throws Exception {
        Path lock = OutputLock.lockFile(output);
        assertTrue(FILES.createNew(lock, holder.toJson()));
        FILES.fs(lock).setTimes(lock, System.currentTimeMillis() - ageSeconds * 1000, -1);
    }

    private static OutputLock.Holder holder(String host, long pid) {
        OutputLock.Holder me = OutputLock.Holder.current("train", new Path("/x"));
        return new OutputLock.Holder(host, me.pidNamespace(), pid, null, "train", "/x", "2024-01-01T00:00:00Z",
                "token-of-the-other-run");
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60); // hang guard only
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void aSecondRunIsRefusedNamingTheOutputAndTheHolderUntilTheFirstReleases() {
        Path output = output();
        try (OutputLock first = acquire(output, DEFAULT)) {
            var e = assertThrows(OutputBusyException.class, () -> acquire(output, DEFAULT));
            assertTrue(e.getMessage().startsWith(output + " is being written by another run (train, pid "
                    + ProcessHandle.current().pid() + " on "), e.getMessage());
            assertTrue(e.getMessage().contains(OutputLock.lockFile(output).toString()), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }
        assertFalse(FILES.exists(OutputLock.lockFile(output)), "released on close");
        try (OutputLock again = acquire(output, DEFAULT)) {
            assertTrue(FILES.exists(OutputLock.lockFile(output)));
        }
        assertEquals(List.of(), notes);
    }

    @Test
    void theLockFileRecordsHostPidStageAndStartTime() throws Exception {
        Path output = output();
        try (OutputLock lock = acquire(output, DEFAULT)) {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readValue(FILES.readBytes(OutputLock.lockFile(output)), Map.class);
            assertEquals(ProcessHandle.current().pid(), ((Number) m.get("pid")).longValue());
            assertEquals("train", m.get("stage"));
            assertEquals(output.toString(), m.get("output"));
            assertFalse(((String) m.get("host")).isBlank());
            assertTrue(java.time.Instant.parse((String) m.get("started")).isBefore(java.time.Instant.now().plusSeconds(1)));
        }
    }

    @Test
    void aLockWithoutHeartbeatIsTakenOverWithANote() throws Exception {
        Path output = output();
        plantLock(output, holder("some-other-host", 4242), 120);
        try (OutputLock lock = acquire(output, DEFAULT)) {
            assertEquals(1, notes.size(), notes.toString());
            assertTrue(notes.get(0).startsWith("train: took over the lock of " + output + " from a run that is gone (train, pid 4242"
                    + " on some-other-host"), notes.get(0));
            assertTrue(notes.get(0).contains("no heartbeat for 1"), notes.get(0));
        }
    }

    @Test
    void aFreshLockOfAnotherMachineIsRespected() throws Exception {
        Path output = output();
        plantLock(output, holder("some-other-host", 4242), 5);
        var e = assertThrows(OutputBusyException.class, () -> acquire(output, DEFAULT));
        assertTrue(e.getMessage().contains("pid 4242 on some-other-host"), e.getMessage());
    }

    @Test
    void aLockOfADeadProcessOnThisMachineIsTakenOverAtOnce() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        assertTrue(gone.waitFor(60, TimeUnit.SECONDS));
        OutputLock.Holder me = OutputLock.Holder.current("train", output());
        Path output = output();
        plantLock(output, holder(me.host(), gone.pid()), 0);
        try (OutputLock lock = acquire(output, DEFAULT)) {
            assertEquals(1, notes.size(), notes.toString());
            assertTrue(notes.get(0).contains("its process " + gone.pid() + " is no longer running"), notes.get(0));
        }
    }

    @Test
    void theHeartbeatKeepsTheLockFresh() throws Exception {
        Path output = output();
        try (OutputLock lock = acquire(output, new OutputLock.Timing(Duration.ofMillis(50), Duration.ofSeconds(60)))) {
            Path file = OutputLock.lockFile(output);
            long old = System.currentTimeMillis() - 3_600_000;
            FILES.fs(file).setTimes(file, old, -1);
            await("a heartbeat", () -> FILES.modificationTime(file) > old + 3_000_000);
        }
    }

    @Test
    void theHolderSaysSoWhenItsLockWasTakenFromIt() throws Exception {
        Path output = output();
        try (OutputLock lock = acquire(output, new OutputLock.Timing(Duration.ofMillis(50), Duration.ofSeconds(60)))) {
            FILES.writeBytes(OutputLock.lockFile(output), holder("some-other-host", 4242).toJson());
            await("the lost-lock note", () -> !notes.isEmpty());
            assertTrue(notes.get(0).startsWith("train: warning: lost the lock"), notes.get(0));
        }
        assertTrue(FILES.exists(OutputLock.lockFile(output)), "the other run's lock is not deleted on release");
    }

    @Test
    void exclusiveCreateHasExactlyOneWinnerPerRace() throws Exception {
        int winnersTotal = races(200, round -> FILES.createNew(FILES.path(tmp.resolve("race/f" + round).toString()), new byte[] {1}));
        assertEquals(200, winnersTotal);
    }

    @Test
    void racingTakeoversOfOneAbandonedLockLeaveExactlyOneHolder() throws Exception {
        List<OutputLock> held = new CopyOnWriteArrayList<>();
        int rounds = 40;
        // Planted before the race: ageing a lock by hand while others take it over would age their new locks too.
        for (int round = 0; round < rounds; round++) {
            plantLock(takeoverOutput(round), holder("some-other-host", 4242), 600);
        }
        int winners = races(rounds, round -> {
            try {
                held.add(acquire(takeoverOutput(round), DEFAULT));
                return true;
            } catch (OutputBusyException e) {
                assertTrue(e.getMessage().contains("is being written by another run"), e.getMessage());
                return false;
            }
        });
        held.forEach(OutputLock::close);
        assertEquals(rounds, winners);
    }

    private Path takeoverOutput(int round) {
        return FILES.path(tmp.resolve("takeover/r" + round + "/model").toString());
    }

    /** Each round, four threads run {@code attempt} at once; returns how many attempts succeeded in all. */
    private static int races(int rounds, Attempt attempt) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            int total = 0;
            for (int round = 0; round < rounds; round++) {
                CyclicBarrier start = new CyclicBarrier(4);
                int r = round;
                List<Future<Boolean>> results = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    results.add(pool.submit(() -> {
                        start.await();
                        return attempt.run(r);
                    }));
                }
                int won = 0;
                for (Future<Boolean> f : results) {
                    won += f.get() ? 1 : 0;
                }
                assertEquals(1, won, "winners in round " + round);
                total += won;
            }
            return total;
        } finally {
            pool.shutdownNow();
        }
    }

    @FunctionalInterface
    private interface Attempt {
        boolean run(int round) throws Exception;
    }

    @Test
    void aFolderThatCannotBeWrittenIsBadInputNamingIt() throws Exception {
        java.nio.file.Path file = Files.writeString(tmp.resolve("a-file"), "x");
        Path output = FILES.path(file.resolve("runs/r/model").toString());
        var e = assertThrows(BadInputException.class, () -> acquire(output, DEFAULT));
        assertTrue(e.getMessage().contains("a-file"), e.getMessage());
    }
}

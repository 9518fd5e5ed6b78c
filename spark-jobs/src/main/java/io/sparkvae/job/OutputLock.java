package io.sparkvae.job;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.sparkvae.io.BadInputException;
import io.sparkvae.io.HadoopFiles;
import io.sparkvae.io.Json;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.util.ShutdownHookManager;

/**
 * The lock a run holds on an output while it writes it: a file {@code .<name>.lock} beside the output, created
 * atomically ({@link HadoopFiles#createNew}) and naming its holder (host, pid, stage, start time). A second run of
 * the same output refuses with an {@link OutputBusyException} (exit 75) that names the output and the holder.
 *
 * <p>A killed run must not block its rerun: the holder refreshes the lock's modification time every
 * {@link Timing#heartbeat()}, and a lock without a heartbeat for {@link Timing#stale()}, or one whose process no
 * longer runs on this same machine, is taken over (the caller is told, to say so in one line). Two runs taking over
 * the same stale lock are serialised by a second exclusive file ({@code .<name>.lock.takeover}), so only one wins.
 * The lock is released on close, on failure, and by a shutdown hook when the JVM is stopped (SIGTERM).
 */
public final class OutputLock implements AutoCloseable {
    /** Runs before Hadoop closes its file systems at shutdown (priority 10), so the lock can still be deleted. */
    private static final int SHUTDOWN_PRIORITY = FileSystem.SHUTDOWN_HOOK_PRIORITY + 1;

    /**
     * How often the holder refreshes its lock, and after how long without that a lock counts as abandoned. The
     * stale time must exceed the heartbeat by a margin that covers pauses and clock skew between machines.
     */
    public record Timing(Duration heartbeat, Duration stale) {
        public static final Timing DEFAULT = new Timing(Duration.ofSeconds(10), Duration.ofSeconds(60));
    }

    /**
     * Who holds a lock, as recorded in the lock file.
     *
     * @param pidNamespace the holder's pid namespace where the OS names it (containers may share a host name), or null
     * @param pidStart     when the holder's process started (guards against a reused pid), or null
     * @param token        unique per acquisition: tells this holder's lock from a later one
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Holder(String host, String pidNamespace, long pid, String pidStart, String stage, String output,
                         String started, String token) {
        static Holder current(String stage, Path output) {
            ProcessHandle self = ProcessHandle.current();
            return new Holder(Machine.HOST, Machine.PID_NAMESPACE, self.pid(),
                    self.info().startInstant().map(Instant::toString).orElse(null), stage, output.toString(),
                    Instant.now().toString(), UUID.randomUUID().toString());
        }

        /** Why this holder is certainly gone, judged on this machine, or null when it may still be running. */
        String goneReason() {
            if (!Machine.HOST.equals(host) || !java.util.Objects.equals(Machine.PID_NAMESPACE, pidNamespace)) {
                return null; // another machine's pids say nothing here
            }
            var process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
            if (process.isEmpty()) {
                return "its process " + pid + " is no longer running";
            }
            String start = process.get().info().startInstant().map(Instant::toString).orElse(null);
            if (pidStart != null && start != null && !pidStart.equals(start)) {
                return "its process " + pid + " is no longer running (the pid now belongs to another process)";
            }
            return null;
        }

        String describe() {
            return stage + ", pid " + pid + " on " + host + " since " + started;
        }

        byte[] toJson() {
            try {
                return Json.mapper().writeValueAsBytes(this);
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** The holder recorded in {@code lock}, or null when it is gone or unreadable (e.g. still being written). */
        static Holder read(HadoopFiles files, Path lock) {
            try {
                return Json.mapper().readValue(files.readBytes(lock), Holder.class);
            } catch (java.io.IOException | RuntimeException e) {
                return null;
            }
        }
    }

    private final HadoopFiles files;
    private final Path lock;
    private final Holder holder;
    private final ScheduledExecutorService heartbeat;
    private final Runnable shutdownHook = this::close;
    private volatile boolean released;
    private volatile boolean lost;

    private OutputLock(HadoopFiles files, Path lock, Holder holder, Timing timing, Consumer<String> notes) {
        this.files = files;
        this.lock = lock;
        this.holder = holder;
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "output-lock-heartbeat " + lock.getName());
            t.setDaemon(true);
            return t;
        });
        long every = timing.heartbeat().toMillis();
        heartbeat.scheduleWithFixedDelay(() -> beat(notes), every, every, TimeUnit.MILLISECONDS);
        ShutdownHookManager.get().addShutdownHook(shutdownHook, SHUTDOWN_PRIORITY);
    }

    /** The lock file of {@code output}: a hidden sibling, so listings of the parent do not take it for output. */
    public static Path lockFile(Path output) {
        return new Path(output.getParent(), "." + output.getName() + ".lock");
    }

    /**
     * Takes the lock of {@code output} for {@code stage}, taking over an abandoned one.
     *
     * @param notes told (one line) when an abandoned lock is taken over or this lock is lost to another run
     * @throws OutputBusyException when another live run holds it
     * @throws BadInputException when the folder cannot be written
     */
    public static OutputLock acquire(HadoopFiles files, Path output, String stage, Timing timing, Consumer<String> notes) {
        Path lock = lockFile(output);
        Holder me = Holder.current(stage, output);
        String tookOverFrom = null;
        // Each lost race (a lock released or taken over meanwhile) is looked at afresh; a takeover takes milliseconds.
        for (int round = 0; round < 50; round++) {
            if (files.createNew(lock, me.toJson())) {
                if (tookOverFrom != null) {
                    notes.accept(stage + ": took over the lock of " + output + " from a run that is gone (" + tookOverFrom + ")");
                }
                return new OutputLock(files, lock, me, timing, notes);
            }
            Look seen = Look.of(files, lock);
            if (seen == null) {
                continue; // released between our create and this look
            }
            String gone = seen.goneReason(timing);
            if (gone == null) {
                String who = seen.holder() == null ? "a run whose lock file is still being written" : seen.holder().describe();
                throw new OutputBusyException(output + " is being written by another run (" + who + "; lock " + lock
                        + "): wait for it to finish; a lock without a heartbeat for " + timing.stale().toSeconds()
                        + " s is taken over");
            }
            switch (removeAbandoned(files, lock, seen, me, timing)) {
                case REMOVED -> tookOverFrom = (seen.holder() == null ? "unreadable lock" : seen.holder().describe()) + "; " + gone;
                case BUSY -> pause();
                case CHANGED -> { } // taken over by another run first, or alive after all: look again
            }
        }
        throw new OutputBusyException(output + ": other runs keep taking its lock " + lock + "; retry later");
    }

    /** The lock file as one consistent look: its holder (null: unreadable) and its modification time. */
    private record Look(Holder holder, long modified) {
        /** Null when there is no lock file. */
        static Look of(HadoopFiles files, Path lock) {
            long before = files.modificationTime(lock);
            while (before >= 0) {
                Holder holder = Holder.read(files, lock);
                long after = files.modificationTime(lock);
                if (after == before) {
                    return new Look(holder, before); // not replaced or refreshed while it was read
                }
                before = after;
            }
            return null;
        }

        /** Why this lock's holder is gone, or null when it may still be running. */
        String goneReason(Timing timing) {
            long silentMillis = System.currentTimeMillis() - modified;
            if (silentMillis > timing.stale().toMillis()) {
                return "no heartbeat for " + silentMillis / 1000 + " s";
            }
            return holder == null ? null : holder.goneReason();
        }

        boolean sameLock(Look other) {
            return holder == null ? other.holder == null && modified == other.modified
                    : other.holder != null && holder.token().equals(other.holder.token());
        }
    }

    /**
     * Deletes an abandoned lock, unless it changed since it was judged (someone else took it over first). The look,
     * judgement and delete run under an exclusive takeover file, so two runs cannot each delete the other's fresh lock.
     */
    private static Takeover removeAbandoned(HadoopFiles files, Path lock, Look judged, Holder me, Timing timing) {
        Path takeover = new Path(lock.getParent(), lock.getName() + ".takeover");
        if (!files.createNew(takeover, me.toJson())) {
            long since = files.modificationTime(takeover);
            if (since >= 0 && System.currentTimeMillis() - since > timing.stale().toMillis()) {
                files.deleteQuietly(takeover); // left by a run that died mid-takeover
            }
            return Takeover.BUSY;
        }
        try {
            Look now = Look.of(files, lock);
            if (now == null || !now.sameLock(judged) || now.goneReason(timing) == null) {
                return Takeover.CHANGED;
            }
            files.delete(lock);
            return Takeover.REMOVED;
        } finally {
            files.deleteQuietly(takeover);
        }
    }

    private enum Takeover { REMOVED, CHANGED, BUSY }

    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a lock takeover", e);
        }
    }

    /** Refreshes the lock; notices (once) when another run has taken it over, e.g. after a long pause of this one. */
    private void beat(Consumer<String> notes) {
        try {
            Holder current = Holder.read(files, lock);
            if (current == null || !holder.token().equals(current.token())) {
                if (!lost) {
                    lost = true;
                    notes.accept(holder.stage() + ": warning: lost the lock " + lock + " to another run ("
                            + (current == null ? "lock file gone" : current.describe()) + "); two runs may now write "
                            + holder.output());
                }
                return;
            }
            files.touch(lock);
        } catch (RuntimeException e) {
            // A missed beat is harmless unless it lasts; the next one retries.
        }
    }

    /** Stops the heartbeat and deletes the lock file if it is still this run's. */
    @Override
    public void close() {
        if (released) {
            return;
        }
        released = true;
        heartbeat.shutdownNow();
        try {
            ShutdownHookManager.get().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // already shutting down: this is the hook running
        }
        Holder current = Holder.read(files, lock);
        if (current != null && holder.token().equals(current.token())) {
            files.deleteQuietly(lock);
        }
    }

    /** This machine as lock files name it. */
    private static final class Machine {
        static final String HOST = hostName();
        static final String PID_NAMESPACE = pidNamespace();

        private static String hostName() {
            try {
                return java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.io.IOException e) {
                String env = System.getenv("HOSTNAME");
                return env == null ? "unknown-host" : env;
            }
        }

        /** Linux names each pid namespace ({@code pid:[4026531836]}); pids are only comparable within one. */
        private static String pidNamespace() {
            try {
                return java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/self/ns/pid")).toString();
            } catch (java.io.IOException | UnsupportedOperationException e) {
                return null;
            }
        }
    }
}

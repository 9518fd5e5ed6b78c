package io.sparkvae.spark;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * One progress line for a long piece of work ({@code evaluate mnist-z20: examples scored 3,200 of 10,000 (32%),
 * 1,050/s, ETA 6s}). On a terminal the line is redrawn in place at most every {@link #REDRAW_NANOS}; anywhere else
 * (a log file, a scheduler, a YARN container) it prints a new line only at every tenth of the work and at least
 * every {@link #QUIET_NANOS}, so logs stay short. It writes to stderr, leaving stdout to the stage's own lines;
 * {@link #clearLine()} removes a drawn line before such a line is printed.
 */
public final class ProgressMeter implements AutoCloseable {
    static final long REDRAW_NANOS = 500_000_000L;
    static final long QUIET_NANOS = 30_000_000_000L;

    /** The meter whose line is drawn on the terminal now, if any (one at a time: it is one line). */
    private static ProgressMeter drawn;

    private final String label;
    private final String unit;
    private final long total;
    private final PrintStream out;
    private final boolean terminal;
    private final LongSupplier nanos;
    private final long started;
    /** When the first count arrived, and how large it was: the rate is measured from there (work may start late). */
    private long firstAt = -1;
    private long firstCount;
    private long done;
    private long lastPrinted;
    /** The count the last printed log line showed. */
    private long lastShown;
    private int lastTenth;
    private boolean closed;

    /**
     * @param label what is working ({@code evaluate mnist-z20})
     * @param unit  what is counted ({@code examples scored})
     * @param total how many there are (0 or less: unknown, no percentage or ETA)
     */
    public ProgressMeter(String label, String unit, long total, PrintStream out, boolean terminal, LongSupplier nanos) {
        this.label = label;
        this.unit = unit;
        this.total = total;
        this.out = out;
        this.terminal = terminal;
        this.nanos = nanos;
        this.started = nanos.getAsLong();
        this.lastPrinted = started;
    }

    /** On this process's stderr, redrawn in place when stderr is a terminal. */
    public static ProgressMeter onStderr(String label, String unit, long total) {
        return new ProgressMeter(label, unit, total, System.err, stderrIsTerminal(), System::nanoTime);
    }

    /** Records that {@code count} of the total are done now, printing if it is time to. */
    public synchronized void update(long count) {
        if (closed || count == done) {
            return;
        }
        done = count;
        long now = nanos.getAsLong();
        if (firstAt < 0) {
            firstAt = now;
            firstCount = count;
        }
        int tenth = total > 0 ? (int) Math.min(10, done * 10 / total) : 0;
        if (terminal) {
            if (now - lastPrinted >= REDRAW_NANOS || tenth == 10) {
                draw(now);
            }
        } else if (tenth > lastTenth || now - lastPrinted >= QUIET_NANOS) {
            println(now);
        }
        lastTenth = Math.max(lastTenth, tenth);
    }

    private void println(long now) {
        out.println(line(now));
        out.flush();
        lastPrinted = now;
        lastShown = done;
    }

    /**
     * Ends the meter after the work completed: as {@link #close}, and a log gets a last line with the final count when
     * its last line showed less (an unknown total, or the last stretch of a known one within a tenth and 30 s).
     */
    public synchronized void finish() {
        if (!closed && !terminal && done > lastShown) {
            println(nanos.getAsLong());
        }
        close();
    }

    /** Ends the meter: a drawn line is removed (the stage prints its own summary, or its error). */
    @Override
    public synchronized void close() {
        closed = true;
        synchronized (ProgressMeter.class) {
            if (drawn == this) {
                clearLine();
            }
        }
    }

    /** Removes the line a meter has drawn on the terminal, if any; it is drawn again on its next update. */
    public static synchronized void clearLine() {
        if (drawn != null) {
            drawn.out.print("\r\033[K");
            drawn.out.flush();
            drawn = null;
        }
    }

    private void draw(long now) {
        synchronized (ProgressMeter.class) {
            out.print("\r" + line(now) + "\033[K");
            out.flush();
            drawn = this;
        }
        lastPrinted = now;
    }

    /** The line as it reads now. */
    String line(long now) {
        double seconds = (now - firstAt) / 1e9;
        StringBuilder s = new StringBuilder(label).append(": ").append(unit).append(' ')
                .append(String.format(Locale.ROOT, "%,d", done));
        if (total > 0) {
            s.append(String.format(Locale.ROOT, " of %,d (%d%%)", total, Math.min(100, done * 100 / total)));
        }
        if (seconds > 0 && done > firstCount) {
            double rate = (done - firstCount) / seconds;
            s.append(String.format(Locale.ROOT, ", %,.0f/s", rate));
            if (total > done) {
                s.append(", ETA ").append(duration(Math.round((total - done) / rate)));
            }
        }
        return s.toString();
    }

    /** {@code 45s}, {@code 2m05s}, {@code 1h03m}. */
    public static String duration(long seconds) {
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return (seconds / 60) + "m" + String.format(Locale.ROOT, "%02d", seconds % 60) + "s";
        }
        return (seconds / 3600) + "h" + String.format(Locale.ROOT, "%02d", (seconds % 3600) / 60) + "m";
    }

    /**
     * Whether this process's stderr is a terminal. Java only says so for stdin and stdout together
     * ({@link System#console()}); on Linux {@code /proc/self/fd/2} names the device stderr writes to.
     */
    static boolean stderrIsTerminal() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (java.io.IOException | UnsupportedOperationException | SecurityException e) {
            return System.console() != null;
        }
    }
}

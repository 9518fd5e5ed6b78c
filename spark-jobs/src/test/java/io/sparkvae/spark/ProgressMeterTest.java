package io.sparkvae.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The progress line: what it says, and how often it speaks on a terminal and elsewhere. */
class ProgressMeterTest {
    private static final long SECOND = 1_000_000_000L;

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private final AtomicLong clock = new AtomicLong(0);

    private String printed() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private List<String> lines() {
        return printed().lines().toList();
    }

    @Test
    void aLogGetsALineAtEveryTenthAndEveryThirtySecondsOnly() {
        ProgressMeter meter = new ProgressMeter("evaluate mnist-z20", "examples scored", 10_000, out, false, clock::get);
        clock.set(SECOND);
        meter.update(500);
        meter.update(900);
        assertEquals(List.of(), lines(), "nothing before the first tenth");
        meter.update(1_000);
        assertEquals(List.of("evaluate mnist-z20: examples scored 1,000 of 10,000 (10%)"), lines(),
                "no rate yet: it is measured from the first count (executors may take a while to start)");
        clock.set(10 * SECOND);
        meter.update(1_500);
        assertEquals(1, lines().size(), "within a tenth and 30 s: quiet");
        clock.set(41 * SECOND);
        meter.update(1_600);
        assertEquals("evaluate mnist-z20: examples scored 1,600 of 10,000 (16%), 28/s, ETA 5m05s", lines().get(1),
                "30 s without a line: one more, though still in the same tenth");
        clock.set(50 * SECOND);
        meter.update(9_999);
        meter.update(10_000);
        assertEquals(List.of("evaluate mnist-z20: examples scored 9,999 of 10,000 (99%), 194/s, ETA 0s",
                "evaluate mnist-z20: examples scored 10,000 of 10,000 (100%), 194/s"), lines().subList(2, 4),
                "one line per tenth crossed, and the last at 100%");
        meter.close();
        assertEquals(4, lines().size());
        assertTrue(!printed().contains("\r"), "no terminal control characters in a log: " + printed());
    }

    @Test
    void aTerminalGetsOneLineRedrawnInPlaceAndClearedAtTheEnd() {
        ProgressMeter meter = new ProgressMeter("prepare punks", "examples written", 200, out, true, clock::get);
        clock.set(SECOND);
        meter.update(10);
        assertEquals("\rprepare punks: examples written 10 of 200 (5%)\033[K", printed());
        clock.set(SECOND + ProgressMeter.REDRAW_NANOS / 2);
        meter.update(20);
        assertEquals(1, printed().split("\r").length - 1, "redrawn at most twice a second");
        clock.set(2 * SECOND);
        meter.update(100);
        assertTrue(printed().endsWith("\rprepare punks: examples written 100 of 200 (50%), 90/s, ETA 1s\033[K"), printed());
        ProgressMeter.clearLine(); // what StageLog does before a stage's own line
        assertTrue(printed().endsWith("\r\033[K"), "cleared for the stage's line");
        clock.set(3 * SECOND);
        meter.update(150);
        meter.close();
        assertTrue(printed().endsWith("ETA 1s\033[K\r\033[K"), "redrawn after the stage's line, cleared at the end: " + printed());
        assertTrue(!printed().contains("\n"), "one line, never a new one");
    }

    @Test
    void unknownTotalsCountWithoutPercentOrEta() {
        ProgressMeter meter = new ProgressMeter("render r", "examples encoded", 0, out, false, clock::get);
        clock.set(40 * SECOND);
        meter.update(123);
        clock.set(80 * SECOND);
        meter.update(323);
        assertEquals(List.of("render r: examples encoded 123", "render r: examples encoded 323, 5/s"), lines());
        clock.set(90 * SECOND);
        meter.update(400);
        assertEquals(2, lines().size(), "within 30 s: quiet");
        meter.finish();
        assertEquals("render r: examples encoded 400, 6/s", lines().get(2), "the final count when the work is done");
        meter.finish();
        meter.close();
        assertEquals(3, lines().size(), "once");
    }

    @Test
    void aFailedStageGetsNoFinalLine() {
        ProgressMeter meter = new ProgressMeter("prepare p", "examples decoded", 0, out, false, clock::get);
        clock.set(SECOND);
        meter.update(5);
        meter.close(); // what a failing stage does: its error line must stay the only one
        assertEquals(List.of(), lines());
    }

    @Test
    void durationsReadLikeTheTrainingLines() {
        assertEquals("59s", ProgressMeter.duration(59));
        assertEquals("2m05s", ProgressMeter.duration(125));
        assertEquals("1h03m", ProgressMeter.duration(3_780));
    }
}

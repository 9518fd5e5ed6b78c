package io.sparkvae.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkvae.io.BadInputException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one line (and, with --verbose, the stack trace) a failing command prints, and its exit code. */
class FailuresTest {
    /** A failure none of the one-line kinds covers, thrown for real so it has a stack trace, with a cause. */
    private static RuntimeException unexpected() {
        try {
            try {
                throw new IOException("disk controller on fire\nsecond line of the cause");
            } catch (IOException e) {
                throw new IllegalStateException("checkpoint 3 vanished\nwhile averaging", e);
            }
        } catch (IllegalStateException e) {
            return e;
        }
    }

    private record Printed(int code, List<String> lines) {}

    private static Printed report(Throwable failure, boolean verbose) {
        StringWriter text = new StringWriter();
        int code = Failures.report(failure, new PrintWriter(text), verbose);
        return new Printed(code, text.toString().lines().toList());
    }

    @Test
    void anUnexpectedFailureIsOneLineWithoutVerbose() {
        Printed p = report(unexpected(), false);
        assertEquals(Failures.EXIT_FAILURE, p.code());
        assertEquals(List.of("error: IllegalStateException: checkpoint 3 vanished; rerun with --verbose for the stack trace"), p.lines());
    }

    @Test
    void anUnexpectedFailureWithoutAMessageIsNamedByItsClass() {
        Printed p = report(new NullPointerException(), false);
        assertEquals(Failures.EXIT_FAILURE, p.code());
        assertEquals(List.of("error: NullPointerException; rerun with --verbose for the stack trace"), p.lines());
    }

    @Test
    void withVerboseTheStackTraceAndItsCauseFollowTheLine() {
        Printed p = report(unexpected(), true);
        assertEquals(Failures.EXIT_FAILURE, p.code());
        assertEquals("error: IllegalStateException: checkpoint 3 vanished", p.lines().get(0));
        assertEquals("java.lang.IllegalStateException: checkpoint 3 vanished", p.lines().get(1));
        assertEquals("while averaging", p.lines().get(2));
        assertTrue(p.lines().get(3).startsWith("\tat io.sparkvae.job.FailuresTest.unexpected("), p.lines().toString());
        assertTrue(p.lines().contains("Caused by: java.io.IOException: disk controller on fire"), p.lines().toString());
        assertEquals(1, p.lines().stream().filter(l -> l.startsWith("error: ")).count(), p.lines().toString());
    }

    /** The failures users act on without a trace print their message alone, --verbose or not; exit codes stay. */
    @Test
    void oneLineFailuresIgnoreVerbose() {
        for (boolean verbose : new boolean[] {false, true}) {
            Printed bad = report(new UncheckedIOException(new IOException("wrapped", new BadInputException("no such file x.conf"))), verbose);
            assertEquals(new Printed(Failures.EXIT_BAD_INPUT, List.of("error: no such file x.conf")), bad);
            Printed busy = report(new OutputBusyException("runs/a is being written by pid 12 on host h"), verbose);
            assertEquals(new Printed(Failures.EXIT_OUTPUT_BUSY, List.of("error: runs/a is being written by pid 12 on host h")), busy);
        }
    }
}

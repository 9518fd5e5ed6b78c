package io.sparkvae.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import org.junit.jupiter.api.Test;

/** The command line's contract: exit 0 for help, 2 for usage errors (bad inputs: reliability.BadInputCatalogueTest). */
class VaeMainTest {
    private record Outcome(int code, String err) {}

    private static Outcome run(String... args) {
        PrintStream old = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true));
        try {
            return new Outcome(VaeMain.run(args), buf.toString());
        } finally {
            System.setErr(old);
        }
    }

    @Test
    void helpExitsZero() {
        assertEquals(0, run("--help").code());
        assertEquals(0, run("prepare", "--help").code());
    }

    @Test
    void missingStageOrUnknownOptionIsAUsageError() {
        assertEquals(2, run().code());
        assertEquals(2, run("prepare", "--conf", "x.conf", "--bogus").code());
    }
}

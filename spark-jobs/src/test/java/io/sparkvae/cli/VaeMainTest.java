package io.sparkvae.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line's contract: exit 0 for help, 2 for bad input or config, with a one-line message. */
class VaeMainTest {
    @TempDir
    Path tmp;

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

    @Test
    void missingConfigFileIsBadInputNamingIt() {
        Outcome o = run("prepare", "--conf", tmp.resolve("nope.conf").toString(), "--root", tmp.toString());
        assertEquals(2, o.code());
        assertTrue(o.err().contains("config file not found") && o.err().contains("nope.conf"), o.err());
    }

    @Test
    void badConfigValueIsBadInputNamingTheKey() throws Exception {
        Path conf = tmp.resolve("bad.conf");
        Files.writeString(conf, "data.dataset = punks\ntrain.epochs = -3\n");
        Outcome o = run("prepare", "--conf", conf.toString(), "--root", tmp.resolve("out").toString());
        assertEquals(2, o.code());
        assertTrue(o.err().startsWith("error: config ") && o.err().contains("train.epochs"), o.err());
        assertEquals(1, o.err().strip().lines().count(), o.err());
    }

    @Test
    void rootThatIsAFileIsRefused() throws Exception {
        Path conf = tmp.resolve("ok.conf");
        Files.writeString(conf, "data.dataset = punks\n");
        Path file = tmp.resolve("root-file");
        Files.writeString(file, "x");
        Outcome o = run("prepare", "--conf", conf.toString(), "--root", file.toString());
        assertEquals(2, o.code());
        assertTrue(o.err().contains("is a file"), o.err());
    }
}

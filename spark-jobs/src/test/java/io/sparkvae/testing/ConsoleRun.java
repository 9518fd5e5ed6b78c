package io.sparkvae.testing;

import io.sparkvae.cli.VaeMain;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;

/** Runs the {@code vae} command line in this JVM with its console captured; starts no Spark by itself. */
public final class ConsoleRun {
    private ConsoleRun() {}

    /** What a command printed and its exit code. */
    public record Outcome(int code, String out, String err) {}

    /** {@code vae <args>}, its stdout and stderr captured. */
    public static Outcome vae(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true));
        System.setErr(new PrintStream(err, true));
        try {
            int code = VaeMain.run(args);
            return new Outcome(code, out.toString(), err.toString());
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }
}

package io.sparkvae.job;

/** The stages' console voice: progress lines on stdout, apart from the (quiet) framework logs. */
public final class StageLog {
    private StageLog() {}

    public static void info(String line) {
        System.out.println(line);
        System.out.flush();
    }
}

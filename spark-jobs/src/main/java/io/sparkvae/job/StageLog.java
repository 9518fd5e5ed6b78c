package io.sparkvae.job;

import io.sparkvae.spark.ProgressMeter;

/** The stages' console voice: progress lines on stdout, apart from the (quiet) framework logs. */
public final class StageLog {
    private StageLog() {}

    public static void info(String line) {
        ProgressMeter.clearLine(); // a progress line drawn on the terminal would run into this one
        System.out.println(line);
        System.out.flush();
    }
}

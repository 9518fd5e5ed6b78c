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

    /** {@code n} and the noun, singular for one: "1 epoch", "30 epochs". */
    public static String count(long n, String noun) {
        return count(n, noun, noun + "s");
    }

    /** {@code n} and the noun, singular for one: "1 minibatch", "50 minibatches". */
    public static String count(long n, String singular, String plural) {
        return n + " " + (n == 1 ? singular : plural);
    }
}

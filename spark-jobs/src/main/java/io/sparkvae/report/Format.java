package io.sparkvae.report;

import java.util.Locale;

/** Number formats the report uses everywhere, so one quantity always reads the same. */
final class Format {
    private Format() {}

    /** 500000 -> "500,000"; MAX_VALUE (never) -> "never". */
    static String count(long n) {
        return n == Long.MAX_VALUE ? "never" : String.format(Locale.ROOT, "%,d", n);
    }

    /** Nats to two decimals; a diverged run's astronomic values in scientific notation. */
    static String nats(double v) {
        if (!Double.isFinite(v)) {
            return "n/a";
        }
        return String.format(Locale.ROOT, Math.abs(v) < 1e6 ? "%.2f" : "%.2e", v);
    }

    /** 500000 -> "5.0 x 10^5". */
    static String power(double n) {
        if (n <= 0) {
            return "0";
        }
        int exp = (int) Math.floor(Math.log10(n));
        return String.format(Locale.ROOT, "%.1f x 10^%d", n / Math.pow(10, exp), exp);
    }

    /** Seconds as "42 s", "12.5 min" or "2.1 h". */
    static String duration(double seconds) {
        if (!Double.isFinite(seconds)) {
            return "n/a";
        }
        if (seconds < 120) {
            return String.format(Locale.ROOT, "%.0f s", seconds);
        }
        if (seconds < 7200) {
            return String.format(Locale.ROOT, "%.1f min", seconds / 60);
        }
        return String.format(Locale.ROOT, "%.1f h", seconds / 3600);
    }
}

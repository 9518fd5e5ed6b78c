package io.sparkvae.evaluate;

/**
 * Seeds for the random draws of one batch, derived from the run seed, what the draws are for and the batch's first
 * source index, so the same batch gets the same noise on any executor, in any partition, on every rerun.
 */
public final class BatchSeeds {
    /** Purpose tags: the ELBO's eps and the importance samples of one batch must not share a stream. */
    public static final long ELBO = 0x454C424FL;
    public static final long IMPORTANCE = 0x49535341L;

    private BatchSeeds() {}

    /** A well-mixed 64-bit seed for (run seed, purpose, first index); distinct inputs give unrelated streams. */
    public static long of(long runSeed, long purpose, long firstIndex) {
        // SplitMix64 finaliser applied in a chain: consecutive first indices would otherwise give correlated seeds
        // for ND4J's generator.
        return mix(mix(mix(runSeed) ^ purpose) ^ firstIndex);
    }

    static long mix(long z) {
        z += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}

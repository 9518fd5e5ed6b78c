package io.sparkvae.model;

/**
 * The project's one seeding rule: every random draw of a run takes its seed from the run seed, what the draw is for
 * ({@link Purpose}) and where it happens (epoch, an example's {@link #contentKey content}, a sample number, ...). The same coordinates give the
 * same stream on any executor, in any partition and on every rerun; different purposes or coordinates give unrelated
 * streams (SplitMix64's finaliser, chained, so neighbouring indices do not give correlated seeds).
 */
public final class Seeds {
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    /** What a stream of random numbers is used for; each tag is distinct, so no two purposes share a stream. */
    public enum Purpose {
        /** eps of a worker's steps in one averaging round: (epoch, the first minibatch of its share). */
        TRAINING_NOISE(0x54524E4FL),
        /** Order of the training examples in the exported minibatches: (source index). */
        MINIBATCH_ORDER(0x4D424F52L),
        /** The order of the minibatch files an epoch cuts into averaging rounds: (epoch). */
        AVERAGING_ROUNDS(0x41565244L),
        /** eps of the per-epoch validation score: (epoch), then the scoring's own purposes below. */
        VALIDATION_NOISE(0x56414C4EL),
        /** eps of an example's -ELBO (evaluate, encode, VaeModel, validation): (the example's {@link #contentKey}). */
        ELBO_NOISE(0x454C424FL),
        /** Importance samples of an example's log-likelihood: (the example's {@link #contentKey}). */
        IMPORTANCE_SAMPLES(0x49535341L),
        /** Which test examples render shows. */
        EXAMPLE_PICK(0x5049434BL),
        /** The prior draws render's samples picture decodes. */
        PRIOR_SAMPLES(0x5052494FL),
        /** The single-process trainer's shuffle of the training set: (epoch). */
        EPOCH_SHUFFLE(0x53485546L),
        /** The prior draws the generate stage decodes: (sample number). */
        GENERATED_SAMPLES(0x47454E53L),
        /** Which examples VaeEstimator holds out for validation: (the example's {@link #contentKey}). */
        HOLD_OUT(0x484F4C44L);

        private final long tag;

        Purpose(long tag) {
            this.tag = tag;
        }
    }

    private Seeds() {}

    /** The seed of the stream for {@code purpose} at {@code coordinates} in a run seeded with {@code runSeed}. */
    public static long of(long runSeed, Purpose purpose, long... coordinates) {
        long h = mix(mix(runSeed) ^ purpose.tag);
        for (long c : coordinates) {
            h = mix(h ^ c);
        }
        return h;
    }

    /**
     * A coordinate that names an example by its content (the bits of its values), so the noise an example's scores
     * draw depends on the example alone: not on its index, its neighbours, the block or the partition it is scored in.
     * Identical examples get identical noise, hence identical scores.
     */
    public static long contentKey(float[] values) {
        long h = mix(values.length);
        for (float v : values) {
            h = (h ^ Float.floatToIntBits(v)) * 0x9E3779B97F4A7C15L;
            h ^= h >>> 29;
        }
        return mix(h);
    }

    /** SplitMix64: one step of the generator's state plus its output finaliser. */
    static long mix(long z) {
        z += GOLDEN_GAMMA;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}

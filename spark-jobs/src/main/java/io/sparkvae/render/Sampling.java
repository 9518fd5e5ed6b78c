package io.sparkvae.render;

import io.sparkvae.model.Seeds;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/** The seeded choices render makes: which test examples to reconstruct and which prior draws to decode. */
public final class Sampling {
    private Sampling() {}

    /**
     * {@code count} of {@code indices} (all when fewer), chosen by a shuffle seeded with {@code seed} and returned in
     * ascending order. Depends only on the set of indices, not on the order they were collected in.
     */
    public static List<Integer> pick(List<Integer> indices, int count, long seed) {
        List<Integer> sorted = new ArrayList<>(indices);
        Collections.sort(sorted);
        Collections.shuffle(sorted, new Random(Seeds.of(seed, Seeds.Purpose.EXAMPLE_PICK)));
        List<Integer> chosen = new ArrayList<>(sorted.subList(0, Math.min(count, sorted.size())));
        Collections.sort(chosen);
        return chosen;
    }

    /**
     * {@code count} pairs of distinct {@code indices} (fewer when there are not enough), chosen by a seeded shuffle of
     * their own, unrelated to {@link #pick}'s; depends only on the set of indices.
     */
    public static List<int[]> pairs(List<Integer> indices, int count, long seed) {
        List<Integer> sorted = new ArrayList<>(indices);
        Collections.sort(sorted);
        Collections.shuffle(sorted, new Random(Seeds.of(seed, Seeds.Purpose.EXAMPLE_PICK, 1)));
        List<int[]> out = new ArrayList<>();
        for (int i = 0; i + 1 < sorted.size() && out.size() < count; i += 2) {
            out.add(new int[] {sorted.get(i), sorted.get(i + 1)});
        }
        return out;
    }

    /** {@code count} draws of z ~ N(0, I) in {@code latent} dimensions, reproducible from the seed. */
    public static float[][] prior(int count, int latent, long seed) {
        Random rng = new Random(Seeds.of(seed, Seeds.Purpose.PRIOR_SAMPLES));
        float[][] z = new float[count][latent];
        for (float[] row : z) {
            for (int j = 0; j < latent; j++) {
                row[j] = (float) rng.nextGaussian();
            }
        }
        return z;
    }

    /** Columns of a near-square grid for {@code n} tiles. */
    public static int squareColumns(int n) {
        return Math.max(1, (int) Math.ceil(Math.sqrt(n)));
    }
}

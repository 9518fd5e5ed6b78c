package io.sparkvae.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SeedsTest {

    @Test
    void sameCoordinatesGiveTheSameSeed() {
        assertEquals(Seeds.of(42, Seeds.Purpose.ELBO_NOISE, 100), Seeds.of(42, Seeds.Purpose.ELBO_NOISE, 100));
        assertEquals(Seeds.of(42, Seeds.Purpose.TRAINING_NOISE, 1, 7), Seeds.of(42, Seeds.Purpose.TRAINING_NOISE, 1, 7));
    }

    @Test
    void everyRunPurposeAndBlockGetsItsOwnSeed() {
        Set<Long> seen = new HashSet<>();
        for (long run : new long[] {0, 1, 42}) {
            for (Seeds.Purpose purpose : Seeds.Purpose.values()) {
                for (long first = 0; first < 10_000; first += 100) {
                    seen.add(Seeds.of(run, purpose, first));
                }
            }
        }
        assertEquals(3 * Seeds.Purpose.values().length * 100, seen.size());
    }

    @Test
    void theOrderOfCoordinatesMatters() {
        assertNotEquals(Seeds.of(42, Seeds.Purpose.TRAINING_NOISE, 1, 7), Seeds.of(42, Seeds.Purpose.TRAINING_NOISE, 7, 1));
        assertNotEquals(Seeds.of(42, Seeds.Purpose.TRAINING_NOISE, 1, 7), Seeds.of(43, Seeds.Purpose.TRAINING_NOISE, 1, 7));
        assertNotEquals(Seeds.of(42, Seeds.Purpose.TRAINING_NOISE, 1), Seeds.of(42, Seeds.Purpose.TRAINING_NOISE, 1, 0));
    }
}

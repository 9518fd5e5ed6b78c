package io.sparkvae.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class InJvmHandoffTest {

    private static TrainingState state(float value) {
        return TrainingState.of(new float[] {value}, null, 0);
    }

    @Test
    void aRoundsResultsAreTakenOnceAndItsLeftoversCleared() {
        int before = InJvmHandoff.size();
        TrainingState start = state(1);
        InJvmHandoff.offerStart("t/1/1", start);
        InJvmHandoff.offerStart("t/1/10", state(9)); // another round whose id starts the same way
        InJvmHandoff.putResult("t/1/1", 0, state(2));
        InJvmHandoff.putResult("t/1/1", 1, state(3));
        TrainingState retried = state(4);
        InJvmHandoff.putResult("t/1/1", 1, retried); // a retried task reports again

        assertSame(start, InJvmHandoff.start("t/1/1"));
        assertSame(start, InJvmHandoff.start("t/1/1"), "every task of the round reads the same start state");
        assertSame(retried, InJvmHandoff.takeResult("t/1/1", 1), "the retried task's state replaces the first");
        IllegalStateException twice = assertThrows(IllegalStateException.class, () -> InJvmHandoff.takeResult("t/1/1", 1));
        assertTrue(twice.getMessage().contains("t/1/1") && twice.getMessage().contains("worker 1"), twice.getMessage());

        InJvmHandoff.clear("t/1/1");
        assertThrows(IllegalStateException.class, () -> InJvmHandoff.takeResult("t/1/1", 0), "a cleared round holds nothing");
        assertEquals(9f, InJvmHandoff.start("t/1/10").parameterValues()[0], "clearing one round leaves another");
        InJvmHandoff.clear("t/1/10");
        assertEquals(before, InJvmHandoff.size());
    }
}

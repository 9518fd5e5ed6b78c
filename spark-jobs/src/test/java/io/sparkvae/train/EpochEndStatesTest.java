package io.sparkvae.train;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

/** A kept epoch end is used only for the next epoch of the same training, and only with the driver's checksum. */
class EpochEndStatesTest {

    @Test
    void aKeptStateIsFoundOnlyByItsTrainingEpochAndChecksum() {
        TrainingState end = TrainingState.of(new float[] {1f, 2f}, new float[] {3f}, 9);
        long checksum = EpochEndStates.checksum(end);
        EpochEndStates.keep("training-a", 4, end);

        assertSame(end, EpochEndStates.find("training-a", 4, checksum));
        assertNull(EpochEndStates.find("training-a", 3, checksum), "another epoch");
        assertNull(EpochEndStates.find("training-b", 4, checksum), "another training");
        assertNull(EpochEndStates.find("training-a", 4, checksum + 1), "the driver starts from other bits");
        assertNotEquals(checksum, EpochEndStates.checksum(TrainingState.of(new float[] {1f, 2f}, new float[] {3f}, 10)),
                "the iteration count is part of the checksum");

        EpochEndStates.release("training-b");
        assertSame(end, EpochEndStates.find("training-a", 4, checksum), "another training's release keeps it");
        EpochEndStates.release("training-a");
        assertNull(EpochEndStates.find("training-a", 4, checksum));
    }
}

package io.sparkvae.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** The slices cover the state once, in order, across the parameters and Adam's state, for any number of workers. */
class StateSlicesTest {

    @Test
    void slicesCutAndPutBackGiveTheStateForAnyWorkerCount() {
        TrainingState state = TrainingState.of(new float[] {1f, -0.0f, 3f, 4f, 5f}, new float[] {6f, 7f, 8f}, 9);
        for (int workers = 1; workers <= 10; workers++) {
            StateSlices slices = StateSlices.of(state, workers);
            byte[] parameters = slices.newParameterBytes();
            byte[] updater = slices.newUpdaterBytes();
            int total = 0;
            for (int w = 0; w < workers; w++) {
                assertEquals(total, slices.from(w), "slice " + w + " starts where the one before ended");
                total += slices.length(w);
                slices.place(slices.copy(state, w, new byte[slices.length(w) * Float.BYTES]), w, parameters, updater);
            }
            assertEquals(8, total, workers + " workers: every float in exactly one slice");
            assertArrayEquals(state.parameters(), parameters, workers + " workers");
            assertArrayEquals(state.updaterState(), updater, workers + " workers");
        }
    }

    @Test
    void slicesWrittenFromAStateAndReadIntoArraysGiveTheStateBack() throws IOException {
        TrainingState state = TrainingState.of(new float[] {1f, -0.0f, 3f, 4f, 5f}, new float[] {6f, 7f, 8f}, 9);
        for (int workers = 1; workers <= 10; workers++) {
            StateSlices slices = StateSlices.of(state, workers);
            byte[] parameters = slices.newParameterBytes();
            byte[] updater = slices.newUpdaterBytes();
            for (int w = 0; w < workers; w++) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                slices.write(state, w, out);
                assertArrayEquals(slices.copy(state, w, new byte[slices.length(w) * Float.BYTES]), out.toByteArray(), "slice " + w);
                DataInputStream in = new DataInputStream(new ByteArrayInputStream(out.toByteArray()));
                slices.read(in::readFully, w, parameters, updater);
                assertEquals(-1, in.read(), "slice " + w + " read whole");
            }
            assertArrayEquals(state.parameters(), parameters, workers + " workers");
            assertArrayEquals(state.updaterState(), updater, workers + " workers");
        }
    }

    @Test
    void aStateWithoutUpdaterHasNoUpdaterBytes() {
        StateSlices slices = StateSlices.of(TrainingState.of(new float[] {1f, 2f}, null, 1), 2);
        assertEquals(null, slices.newUpdaterBytes());
        assertThrows(IllegalArgumentException.class, () -> new StateSlices(2, 0, 0));
    }
}

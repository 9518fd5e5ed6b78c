package io.sparkvae.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The slices cover the state once, in order, across the parameters and Adam's state, for any number of workers. */
class StateSlicesTest {

    @Test
    void slicesCutAndPutBackGiveTheStateForAnyWorkerCount() {
        TrainingState state = TrainingState.of(new float[] {1f, -0.0f, 3f, 4f, 5f}, new float[] {6f, 7f, 8f}, 9);
        for (int workers = 1; workers <= 10; workers++) {
            StateSlices slices = StateSlices.of(state, workers);
            TrainingState copy = new TrainingState(slices.newParameterBytes(), slices.newUpdaterBytes(), 9);
            int total = 0;
            for (int w = 0; w < workers; w++) {
                assertEquals(total, slices.from(w), "slice " + w + " starts where the one before ended");
                total += slices.length(w);
                FloatBuffer[] from = slices.parts(StateView.of(state), w);
                FloatBuffer[] to = slices.parts(StateView.of(copy), w);
                assertEquals(slices.length(w), from[0].limit() + from[1].limit(), "slice " + w + "'s parts");
                for (int p = 0; p < 2; p++) {
                    to[p].put(from[p]);
                }
            }
            assertEquals(8, total, workers + " workers: every float in exactly one slice");
            assertArrayEquals(state.parameters(), copy.parameters(), workers + " workers");
            assertArrayEquals(state.updaterState(), copy.updaterState(), workers + " workers");
        }
    }

    @Test
    void aSliceSentFromViewsIsTheBytesOfTheStateAcrossChunks() throws IOException {
        int chunk = StateSlices.CHUNK_FLOATS;
        float[] parameters = new float[2 * chunk + 7];
        float[] updater = new float[3 * chunk + 1];
        Random random = new Random(3);
        for (int i = 0; i < parameters.length; i++) {
            parameters[i] = (float) random.nextGaussian();
        }
        for (int i = 0; i < updater.length; i++) {
            updater[i] = (float) random.nextGaussian();
        }
        TrainingState state = TrainingState.of(parameters, updater, 1);
        // A direct buffer in the machine's order, as a network's arrays are.
        ByteBuffer direct = ByteBuffer.allocateDirect(parameters.length * Float.BYTES).order(ByteOrder.nativeOrder());
        direct.asFloatBuffer().put(parameters);
        StateView network = new StateView(direct.asFloatBuffer(), FloatBuffer.wrap(updater));
        for (int workers : new int[] {1, 2, 3}) {
            StateSlices slices = StateSlices.of(network, workers);
            for (int w = 0; w < workers; w++) {
                ByteArrayOutputStream fromView = new ByteArrayOutputStream();
                slices.write(network, w, fromView);
                ByteArrayOutputStream fromBytes = new ByteArrayOutputStream();
                slices.write(state, w, fromBytes);
                assertArrayEquals(fromBytes.toByteArray(), fromView.toByteArray(), workers + " workers, slice " + w);
            }
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
                assertEquals(slices.length(w) * Float.BYTES, out.size(), "slice " + w);
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

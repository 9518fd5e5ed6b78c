package io.sparkvae.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A slice of the mean summed as slices arrive has the bits of the driver's whole-state mean. */
class MeanSliceTest {

    private static TrainingState randomState(Random random, int parameters, int updater) {
        float[] p = new float[parameters];
        float[] u = new float[updater];
        for (int i = 0; i < parameters; i++) {
            p[i] = (float) (random.nextGaussian() * Math.pow(10, random.nextInt(6) - 3));
        }
        for (int i = 0; i < updater; i++) {
            u[i] = (float) (random.nextGaussian() * 1e-3);
        }
        return TrainingState.of(p, u, 4);
    }

    @Test
    void slicesFromViewsAndFromBytesGiveTheDriversMean() throws IOException {
        Random random = new Random(11);
        int chunk = StateSlices.CHUNK_FLOATS;
        TrainingState[] states = {randomState(random, chunk + 5, 2 * chunk + 3), randomState(random, chunk + 5, 2 * chunk + 3),
                randomState(random, chunk + 5, 2 * chunk + 3)};
        OrderedMean driver = new OrderedMean(states.length);
        for (int w = 0; w < states.length; w++) {
            driver.accept(w, new WorkerResult(states[w], 1, 1, RoundCosts.NONE));
        }
        TrainingState expected = driver.mean(4);

        for (int workers = 1; workers <= 3; workers++) {
            StateSlices slices = StateSlices.of(states[0], workers);
            TrainingState mean = new TrainingState(slices.newParameterBytes(), slices.newUpdaterBytes(), 4);
            for (int self = 0; self < workers; self++) {
                MeanSlice sum = new MeanSlice(slices.parts(StateView.of(mean), self));
                for (int w = 0; w < states.length; w++) {
                    if (w % 2 == 0) { // this worker's own, in place
                        sum.add(slices.parts(StateView.of(states[w]), self));
                    } else { // a peer's, as bytes off the wire
                        ByteArrayOutputStream wire = new ByteArrayOutputStream();
                        slices.write(states[w], self, wire);
                        DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(wire.toByteArray()));
                        sum.add(in::readFully);
                        assertEquals(-1, in.read(), "the slice read whole");
                    }
                }
                assertEquals(3, sum.contributing());
                sum.finish();
            }
            assertArrayEquals(expected.parameters(), mean.parameters(), workers + " workers: parameters, bit for bit");
            assertArrayEquals(expected.updaterState(), mean.updaterState(), workers + " workers: Adam's state, bit for bit");
        }
    }

    @Test
    void aMeanOfNoWorkerIsRefused() {
        StateSlices slices = new StateSlices(2, 0, 1);
        TrainingState mean = new TrainingState(slices.newParameterBytes(), null, 1);
        assertThrows(IllegalStateException.class, () -> new MeanSlice(slices.parts(StateView.of(mean), 0)).finish());
    }
}

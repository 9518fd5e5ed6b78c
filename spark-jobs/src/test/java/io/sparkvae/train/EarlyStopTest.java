package io.sparkvae.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkvae.config.JobConfig;
import io.sparkvae.io.HadoopFiles;
import io.sparkvae.model.EpochMetrics;
import io.sparkvae.model.Vae;
import io.sparkvae.model.VaeSpec;
import io.sparkvae.provenance.Provenance;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When early stopping ends a training, which epoch it keeps, and that pruning spares that epoch's checkpoint. */
class EarlyStopTest {

    private static List<EpochMetrics> history(double... val) {
        List<EpochMetrics> h = new ArrayList<>();
        for (int i = 0; i < val.length; i++) {
            h.add(new EpochMetrics(i + 1, 100, val[i], 1, 1000));
        }
        return h;
    }

    @Test
    void stopsAfterPatienceEpochsWithoutImprovementAndKeepsTheBest() {
        EarlyStop stop = new EarlyStop(new JobConfig.EarlyStopping(2, 0.0));
        assertFalse(stop.stopAfter(history(110, 105)));
        assertFalse(stop.stopAfter(history(110, 105, 106)), "one epoch without improvement is within patience");
        assertTrue(stop.stopAfter(history(110, 105, 106, 105.5)), "two epochs without improvement end it");
        assertEquals(2, stop.bestEpoch(history(110, 105, 106, 105.5)));
        assertFalse(stop.stopAfter(history(110, 105, 106, 104)), "an improvement resets the count");
    }

    @Test
    void minDeltaDecidesWhatCountsAsAnImprovement() {
        EarlyStop stop = new EarlyStop(new JobConfig.EarlyStopping(1, 0.5));
        assertEquals(1, stop.bestEpoch(history(110, 109.8)), "0.2 nats is not an improvement of at least 0.5");
        assertTrue(stop.stopAfter(history(110, 109.8)));
        assertEquals(2, stop.bestEpoch(history(110, 109.4)));
    }

    @Test
    void offKeepsTheLastEpochAndNeverStops() {
        EarlyStop stop = new EarlyStop(JobConfig.EarlyStopping.OFF);
        assertFalse(stop.stopAfter(history(100, 120, 130, 140)));
        assertEquals(4, stop.bestEpoch(history(100, 120, 130, 140)));
    }

    @Test
    void pruningSparesTheProtectedCheckpoint(@TempDir java.nio.file.Path tmp) {
        HadoopFiles files = HadoopFiles.withDefaults();
        Checkpoints checkpoints = new Checkpoints(files, new Path(tmp.toUri()), 1);
        Vae vae = Vae.create(new VaeSpec(4, List.of(3), 2, "relu", "xavier", "adam", 1e-3, 1));
        Provenance provenance = Provenance.of("t", Map.of(), 1, null);
        List<EpochMetrics> h = history(110, 100, 105, 106);
        checkpoints.protect(2);
        for (int epoch = 1; epoch <= 4; epoch++) {
            checkpoints.save(epoch, vae, provenance, h.subList(0, epoch));
        }
        assertEquals(List.of(2, 4), checkpoints.epochs(), "keep-checkpoints = 1 keeps the newest, and the protected best");
        assertEquals(2, checkpoints.load(2).epoch());
    }
}

package io.sparkvae.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkvae.job.JobOptions;
import io.sparkvae.job.SparkSessions;
import io.sparkvae.job.StageContext;
import io.sparkvae.testing.LocalSpark;
import io.sparkvae.testing.TestData;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stages share the Spark application they are handed; only its owner stops it. */
@Tag("spark")
class SharedSessionTest {
    @TempDir
    Path tmp;

    private JobOptions options() {
        return new JobOptions(TestData.confDir().resolve("punks-z2.conf").toString(), tmp.toString(), "local[1]",
                List.of(), List.of(), false);
    }

    @Test
    void stagesShareThePipelinesApplicationAndOnlyItsOwnerStopsIt() {
        SparkSession shared;
        try (SparkSessions pipeline = SparkSessions.forCommand("pipeline", options())) {
            try (StageContext prepare = StageContext.open(options(), pipeline)) {
                shared = prepare.spark("prepare");
                assertEquals("vae-pipeline-punks-z2", shared.sparkContext().appName());
            }
            assertFalse(shared.sparkContext().isStopped(), "a stage stopped the pipeline's session");
            try (StageContext train = StageContext.open(options(), pipeline)) {
                assertSame(shared, train.spark("train"));
            }
        }
        assertTrue(shared.sparkContext().isStopped(), "closing the pipeline's application stops it");

        SparkSession own;
        try (StageContext alone = StageContext.standalone(options(), "prepare")) {
            own = alone.spark("prepare");
            assertNotSame(shared, own);
            assertEquals("vae-prepare-punks-z2", own.sparkContext().appName());
        }
        assertTrue(own.sparkContext().isStopped(), "a stage run alone stops its own session");
    }

    @Test
    void aSessionAlreadyRunningInTheJvmIsUsedAndLeftRunning() {
        SparkSession shell = LocalSpark.start("shell");
        try {
            try (StageContext alone = StageContext.standalone(options(), "prepare")) {
                assertSame(shell, alone.spark("prepare"));
            }
            try (SparkSessions pipeline = SparkSessions.forCommand("pipeline", options());
                 StageContext train = StageContext.open(options(), pipeline)) {
                assertSame(shell, train.spark("train"));
            }
            assertFalse(shell.sparkContext().isStopped(), "a stage stopped the session it did not start");
        } finally {
            shell.stop();
        }
    }
}

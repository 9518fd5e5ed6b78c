package io.sparkvae.pipeline;

import io.sparkvae.layout.StageDescriptor;
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
        SparkSession[] first = new SparkSession[1];
        try (SparkSessions pipeline = SparkSessions.forCommand("pipeline", options())) {
            try (StageContext prepare = StageContext.open(options(), pipeline)) {
                prepare.run(StageDescriptor.PREPARE, ctx -> first[0] = ctx.spark());
                assertEquals("vae-pipeline-punks-z2", first[0].sparkContext().appName());
            }
            assertFalse(first[0].sparkContext().isStopped(), "a stage stopped the pipeline's session");
            try (StageContext train = StageContext.open(options(), pipeline)) {
                train.run(StageDescriptor.TRAIN, ctx -> assertSame(first[0], ctx.spark()));
            }
        }
        SparkSession shared = first[0];
        assertTrue(shared.sparkContext().isStopped(), "closing the pipeline's application stops it");

        SparkSession own;
        try (StageContext alone = StageContext.standalone(options(), StageDescriptor.PREPARE)) {
            SparkSession[] started = new SparkSession[1];
            alone.run(StageDescriptor.PREPARE, ctx -> started[0] = ctx.spark());
            own = started[0];
            assertNotSame(shared, own);
            assertEquals("vae-prepare-punks-z2", own.sparkContext().appName());
        }
        assertTrue(own.sparkContext().isStopped(), "a stage run alone stops its own session");
    }

    @Test
    void aSessionAlreadyRunningInTheJvmIsUsedAndLeftRunning() {
        SparkSession shell = LocalSpark.start("shell");
        try {
            try (StageContext alone = StageContext.standalone(options(), StageDescriptor.PREPARE)) {
                alone.run(StageDescriptor.PREPARE, ctx -> assertSame(shell, ctx.spark()));
            }
            try (SparkSessions pipeline = SparkSessions.forCommand("pipeline", options());
                 StageContext train = StageContext.open(options(), pipeline)) {
                train.run(StageDescriptor.TRAIN, ctx -> assertSame(shell, ctx.spark()));
            }
            assertFalse(shell.sparkContext().isStopped(), "a stage stopped the session it did not start");
        } finally {
            shell.stop();
        }
    }
}

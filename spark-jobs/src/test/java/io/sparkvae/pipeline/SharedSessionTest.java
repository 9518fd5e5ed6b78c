package io.sparkvae.pipeline;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkvae.stages.StageContext;
import io.sparkvae.stages.StageOptions;
import io.sparkvae.testing.TestData;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pipeline's stages borrow one Spark session; only the pipeline's context stops it. */
class SharedSessionTest {
    @TempDir
    Path tmp;

    private StageOptions options() {
        StageOptions o = new StageOptions();
        o.conf = TestData.confDir().resolve("punks-z2.conf").toString();
        o.root = tmp.toString();
        o.master = "local[1]";
        o.sparkConf = List.of();
        return o;
    }

    @Test
    void stagesBorrowThePipelineSessionAndLeaveItRunning() {
        SparkSession shared;
        try (StageContext pipeline = StageContext.open(options()).shareSpark("pipeline")) {
            SparkSession first;
            try (StageContext prepare = StageContext.open(options())) {
                first = prepare.spark("prepare");
                assertTrue(first.sparkContext().appName().startsWith("vae-pipeline-"), first.sparkContext().appName());
            }
            assertFalse(first.sparkContext().isStopped(), "a stage closed the pipeline's session");
            try (StageContext train = StageContext.open(options())) {
                assertSame(first, train.spark("train"));
            }
            shared = pipeline.spark("pipeline");
            assertSame(first, shared);
        }
        assertTrue(shared.sparkContext().isStopped(), "the pipeline's context stops the session it shared");

        // Sharing nests: a pipeline inside an experiment borrows the experiment's session and leaves it running.
        SparkSession outer;
        try (StageContext experiment = StageContext.open(options()).shareSpark("experiment")) {
            try (StageContext pipeline = StageContext.open(options()).shareSpark("pipeline");
                 StageContext train = StageContext.open(options())) {
                outer = train.spark("train");
                assertTrue(outer.sparkContext().appName().startsWith("vae-experiment-"), outer.sparkContext().appName());
            }
            assertFalse(outer.sparkContext().isStopped(), "the inner pipeline stopped the experiment's session");
            try (StageContext nextPipeline = StageContext.open(options()).shareSpark("pipeline");
                 StageContext evaluate = StageContext.open(options())) {
                assertSame(outer, evaluate.spark("evaluate"));
            }
        }
        assertTrue(outer.sparkContext().isStopped(), "the experiment's context stops the session it shared");

        // Without a sharing context, a stage owns its session again and stops it on close.
        SparkSession own;
        try (StageContext alone = StageContext.open(options())) {
            own = alone.spark("prepare");
            assertNotSame(shared, own);
        }
        assertTrue(own.sparkContext().isStopped());
    }
}

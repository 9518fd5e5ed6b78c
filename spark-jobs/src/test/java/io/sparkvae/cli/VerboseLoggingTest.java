package io.sparkvae.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.junit.jupiter.api.Test;

/** --verbose logs INFO wherever log4j2.properties logs less (as VAE_LOG_LEVEL=INFO), and puts the levels back after. */
class VerboseLoggingTest {
    @Test
    void raisesEveryQuietLoggerToInfoAndRestoresIt() {
        // The root (Spark, DL4J), a start-up note's logger and the executor's task-failure logger, each quieter by default.
        List<Logger> loggers = List.of(LogManager.getLogger("org.apache.spark.SparkContext"), LogManager.getLogger("org.apache.spark.util.Utils"),
                LogManager.getLogger("org.apache.spark.executor.Executor"), LogManager.getLogger("io.sparkvae.job.StageLog"));
        List<Boolean> before = loggers.stream().map(Logger::isInfoEnabled).toList();
        if (System.getenv("VAE_LOG_LEVEL") == null) {
            assertEquals(List.of(false, false, false, true), before, "log4j2.properties' levels: WARN, ERROR, OFF, INFO");
        }
        try (VerboseLogging.Restore levels = VerboseLogging.raise()) {
            for (Logger logger : loggers) {
                assertTrue(logger.isInfoEnabled(), logger.getName() + " logs INFO with --verbose");
            }
        }
        assertEquals(before, loggers.stream().map(Logger::isInfoEnabled).toList(), "the levels are back");
    }
}

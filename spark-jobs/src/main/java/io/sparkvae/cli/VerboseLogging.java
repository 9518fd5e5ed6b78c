package io.sparkvae.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;

/**
 * What {@code --verbose} does to logging: every configured logger that logs less than INFO (Spark, Hadoop and DL4J
 * log warnings only, a few start-up and task-failure loggers nothing: src/main/resources/log4j2.properties) logs
 * INFO, as under {@code VAE_LOG_LEVEL=INFO}; a logger already more verbose ({@code VAE_LOG_LEVEL=DEBUG}) stays so.
 * This JVM only: executors in JVMs of their own (on a cluster) keep their configuration.
 */
final class VerboseLogging {
    private VerboseLogging() {}

    /** Puts the levels back as they were (tests run commands in their own JVM, one after another). */
    interface Restore extends AutoCloseable {
        @Override
        void close();
    }

    /** Raises every logger below INFO to INFO; nothing when log4j2 is not the logging back end. */
    static Restore raise() {
        if (!(LogManager.getContext(false) instanceof LoggerContext ctx)) {
            return () -> {};
        }
        Configuration config = ctx.getConfiguration();
        List<LoggerConfig> loggers = new ArrayList<>(config.getLoggers().values());
        if (!loggers.contains(config.getRootLogger())) {
            loggers.add(config.getRootLogger());
        }
        Map<LoggerConfig, Level> before = new LinkedHashMap<>();
        for (LoggerConfig logger : loggers) {
            if (logger.getLevel().intLevel() < Level.INFO.intLevel()) {
                before.put(logger, logger.getExplicitLevel());
                logger.setLevel(Level.INFO);
            }
        }
        ctx.updateLoggers();
        return () -> {
            before.forEach(LoggerConfig::setLevel);
            ctx.updateLoggers();
        };
    }
}

package io.sparkvae.spark;

import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.SparkSession;

/**
 * Spark readers that take paths as they are written. Spark's file sources expand every path they load as a Hadoop
 * glob, so a folder named {@code set[1]} or {@code root{a}} would be read as a pattern (and not found); the paths the
 * stages read are names, not patterns, and only inputs documented as globs ({@code score.input}) are expanded.
 */
public final class LiteralPaths {
    /** Spark's own switch ({@code DataSource.GLOB_PATHS_KEY}, used by its streaming file source) for not globbing. */
    static final String GLOB_PATHS = "__globPaths__";

    private LiteralPaths() {}

    /** {@code spark.read()} that reads each path it loads literally. */
    public static DataFrameReader read(SparkSession spark) {
        return spark.read().option(GLOB_PATHS, "false");
    }
}

package io.sparkvae.testing;

import io.sparkvae.spark.SparkSessionFactory;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/** A real local Spark session for tests, created the way the stages create theirs. */
public final class LocalSpark {
    private LocalSpark() {}

    /**
     * A {@code local[2]} session. While it runs, every stage run in this JVM uses it (as a stage called from
     * spark-shell would) instead of starting its own, so a suite of many stage runs starts Spark once; stop it after.
     */
    public static SparkSession start(String name) {
        return SparkSessionFactory.create("local[2]", "test-" + name, List.of());
    }
}

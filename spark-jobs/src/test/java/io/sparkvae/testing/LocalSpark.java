package io.sparkvae.testing;

import io.sparkvae.spark.SparkSessionFactory;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/** A real local Spark session for tests, created the way the stages create theirs. */
public final class LocalSpark {
    private LocalSpark() {}

    public static SparkSession start(String name) {
        return SparkSessionFactory.create("local[2]", "test-" + name, List.of());
    }
}

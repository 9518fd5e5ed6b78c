package io.sparkvae.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The settings every stage's Spark session gets unless the user gives their own. */
@Tag("spark")
class SparkSessionFactoryTest {

    private static String executorThreads(String master, List<String> extraConf) {
        SparkSession spark = SparkSessionFactory.create(master, "test-session-factory", extraConf);
        try {
            return spark.sparkContext().getConf().get("spark.executorEnv.OMP_NUM_THREADS");
        } finally {
            spark.stop();
        }
    }

    @Test
    void executorsSizeNd4jsLoopPoolToATasksCores() {
        assertEquals("1", executorThreads("local[1]", List.of()));
        assertEquals("2", executorThreads("local[2]", List.of("spark.task.cpus=2")));
    }

    @Test
    void aUsersOwnThreadCountStays() {
        assertEquals("3", executorThreads("local[1]", List.of("spark.executorEnv.OMP_NUM_THREADS=3")));
    }
}

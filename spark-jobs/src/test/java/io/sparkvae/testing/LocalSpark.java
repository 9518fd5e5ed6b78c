package io.sparkvae.testing;

import io.sparkvae.spark.SparkSessionFactory;
import io.sparkvae.stages.StageContext;
import io.sparkvae.stages.StageOptions;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/** A real local Spark session for tests, created the way the stages create theirs. */
public final class LocalSpark {
    private LocalSpark() {}

    public static SparkSession start(String name) {
        return SparkSessionFactory.create("local[2]", "test-" + name, List.of());
    }

    /**
     * A Spark session every stage run in this JVM borrows until the returned context is closed, as under
     * {@code vae pipeline}: a suite of many stage runs starts Spark once instead of once per run.
     */
    public static StageContext sharedByStages(Path conf, String name) {
        StageOptions o = new StageOptions();
        o.conf = conf.toString();
        o.root = conf.getParent().toString();
        o.master = "local[2]";
        StageContext owner = StageContext.open(o).shareSpark(name);
        owner.spark(name);
        return owner;
    }
}

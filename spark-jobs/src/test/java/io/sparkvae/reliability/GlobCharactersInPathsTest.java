package io.sparkvae.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkvae.testing.LocalSpark;
import io.sparkvae.testing.StageRuns;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A root whose name holds Hadoop glob characters ({@code root[1] {a,b}}) is a name like any other: Spark's file
 * sources would expand it as a pattern and find nothing (PATH_NOT_FOUND). train, evaluate and encode (which reads back
 * what it wrote) run on it as anywhere else. Image folders of such names: {@code ImageFolderPrepareTest}.
 */
@Tag("spark")
class GlobCharactersInPathsTest {
    private static SparkSession spark;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void start() {
        spark = LocalSpark.start("glob-characters");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    void stagesRunOnARootWhoseNameIsAGlobPattern() throws Exception {
        Path root = tmp.resolve("root[1] {a,b}");
        StageRuns.copyTree(StageRuns.shared().root().resolve("datasets"), root.resolve("datasets"));
        Path conf = StageRuns.shared().conf();
        for (String stage : new String[] {"train", "evaluate", "encode"}) {
            StageRuns.Outcome o = StageRuns.vae(stage, conf, root, "--set", "train.epochs=1", "--set", "evaluate.is-samples=2");
            assertEquals(0, o.code(), stage + ": " + o.err());
        }
        assertTrue(Files.exists(root.resolve("runs/tiny/encode/test/_SUCCESS")));
    }
}

package io.sparkvae.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the real data sets fetched by scripts/fetch-data.sh; a missing file fails the test (never skips). */
public final class TestData {
    private TestData() {}

    /** The repo's data/raw folder (tests run in spark-jobs/ or vae-model/). */
    public static Path rawDir() {
        Path dir = Path.of("..", "data", "raw").toAbsolutePath().normalize();
        for (String f : new String[] {"punks/punks.png", "mnist/train-images-idx3-ubyte", "mnist/t10k-labels-idx1-ubyte"}) {
            if (!Files.isRegularFile(dir.resolve(f))) {
                fail("missing " + dir.resolve(f) + ": run scripts/fetch-data.sh all first");
            }
        }
        return dir;
    }

    /** The repo's conf/ folder. */
    public static Path confDir() {
        return Path.of("..", "conf").toAbsolutePath().normalize();
    }
}

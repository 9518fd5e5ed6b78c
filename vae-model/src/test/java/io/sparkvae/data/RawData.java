package io.sparkvae.data;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The real raw files under the repository's data/raw/, as fetched by scripts/fetch-data.sh. */
final class RawData {
    /** The JUnit tag of tests that read these files: the quick profile ({@code -Pquick}) leaves them out. */
    static final String TAG = "data";

    // Surefire runs with vae-model/ as the working directory.
    static final Path RAW = Path.of("..", "data", "raw");

    private RawData() {
    }

    /** The file's bytes; fails (never skips) when it is missing, so a run without data cannot pass silently. */
    static byte[] bytes(String relative) throws IOException {
        Path p = path(relative);
        return Files.readAllBytes(p);
    }

    static Path path(String relative) {
        Path p = RAW.resolve(relative);
        assertTrue(Files.isRegularFile(p),
                () -> "missing " + p.toAbsolutePath().normalize() + ": run scripts/fetch-data.sh first");
        return p;
    }
}

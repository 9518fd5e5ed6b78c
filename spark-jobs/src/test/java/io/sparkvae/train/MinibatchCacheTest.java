package io.sparkvae.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The executor's minibatch cache: a minibatch read once is served from memory the next time, only up to the budget,
 * and never to another training; and what a reader serves is what the file holds, whether cached, prefetched or not.
 */
class MinibatchCacheTest {
    @TempDir
    Path dir;

    private List<String> files(int n) throws IOException {
        List<String> uris = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Path file = dir.resolve("batch-" + i + ".bin");
            try (OutputStream out = Files.newOutputStream(file)) {
                MinibatchFile.write(new float[][] {{i / 255f, 1f}, {0f, (i + 1) / 255f}}, out); // 4 bytes of levels
            }
            uris.add(file.toUri().toString());
        }
        return uris;
    }

    private static WorkerSetup setup(List<String> uris, int cacheMegabytes) {
        return new WorkerSetup(UUID.randomUUID().toString(), "{}", uris, 0, cacheMegabytes, 1);
    }

    @Test
    void aMinibatchReadOnceIsServedFromMemoryAfterwards() throws IOException {
        List<String> uris = files(3);
        WorkerSetup setup = setup(uris, 1);
        MinibatchCache cache = MinibatchCache.of(setup);
        MinibatchFile.Minibatch first = new MinibatchReader(uris, new int[] {2, 0}, 1, cache).next();
        assertSame(first, cache.get(2), "kept after the first read");
        Files.delete(Path.of(java.net.URI.create(uris.get(2))));
        assertSame(first, new MinibatchReader(uris, new int[] {2}, 0, MinibatchCache.of(setup)).next(),
                "the next round is served from memory (the file is gone)");
        assertEquals(2f / 255f, first.pixels()[0]);
    }

    @Test
    void nothingIsKeptBeyondTheBudgetAndReadsStillWork() throws IOException {
        List<String> uris = files(3);
        MinibatchCache cache = MinibatchCache.of(setup(uris, 0));
        MinibatchReader reader = new MinibatchReader(uris, new int[] {0, 1, 2}, 2, cache);
        for (int i = 0; i < 3; i++) {
            assertEquals(i / 255f, reader.next().pixels()[0], "minibatch " + i + " in order");
        }
        assertNull(cache.get(0));
        assertEquals(0, cache.heldBytes());
    }

    @Test
    void aNewTrainingDropsTheMinibatchesOfTheLastOne() throws IOException {
        List<String> uris = files(1);
        MinibatchCache old = MinibatchCache.of(setup(uris, 1));
        new MinibatchReader(uris, new int[] {0}, 0, old).next();
        assertTrue(old.heldBytes() > 0);
        MinibatchCache next = MinibatchCache.of(setup(uris, 1));
        assertNotSame(old, next);
        assertNull(next.get(0), "another training's minibatch 0 is another file");
    }

    @Test
    void aFinishedTrainingGivesItsMinibatchesBack() throws IOException {
        List<String> uris = files(1);
        WorkerSetup setup = setup(uris, 1);
        new MinibatchReader(uris, new int[] {0}, 0, MinibatchCache.of(setup)).next();
        MinibatchCache.release("another training");
        assertTrue(MinibatchCache.of(setup).get(0) != null, "another training's release leaves this one's alone");
        MinibatchCache.release(setup.trainingId());
        assertNull(MinibatchCache.of(setup).get(0), "released: nothing held");
    }

    @Test
    void aMissingFileIsNamedInTheError() throws IOException {
        List<String> uris = files(1);
        Files.delete(Path.of(java.net.URI.create(uris.get(0))));
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> new MinibatchReader(uris, new int[] {0}, 0, MinibatchCache.of(setup(uris, 1))).next());
        assertTrue(e.getMessage().contains("batch-0.bin"), e.getMessage());
    }
}

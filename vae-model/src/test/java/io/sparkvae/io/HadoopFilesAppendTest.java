package io.sparkvae.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link HadoopFiles#appendLine} on the real local file system (HDFS: YarnPipelineIT). */
class HadoopFilesAppendTest {
    private static final HadoopFiles FILES = HadoopFiles.withDefaults();
    private static final Duration PATIENCE = Duration.ofSeconds(5);

    @TempDir
    java.nio.file.Path tmp;

    @Test
    void concurrentWritersKeepEveryLineWhole() throws Exception {
        Path log = FILES.path(tmp.resolve("runs/r/events.jsonl").toString());
        int writers = 4;
        int lines = 200;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        CyclicBarrier start = new CyclicBarrier(writers);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int who = w;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < lines; i++) {
                        assertTrue(FILES.appendLine(log, "{\"writer\":" + who + ",\"line\":" + i + ",\"pad\":\"" + "x".repeat(300) + "\"}", PATIENCE));
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        List<String> read = FILES.readString(log).lines().toList();
        assertEquals(writers * lines, read.size());
        Set<String> seen = new HashSet<>();
        for (String line : read) {
            var node = Json.mapper().readTree(line); // a torn or interleaved line would not parse
            assertTrue(seen.add(node.path("writer").asInt() + "/" + node.path("line").asInt()), "twice: " + line);
        }
        assertFalse(Files.exists(tmp.resolve("runs/r/.events.jsonl.crc")), "no checksum sibling to go stale");
    }

    @Test
    void aLineCutShortByAKilledWriterStaysOnALineOfItsOwn() throws Exception {
        // what a writer killed mid-line leaves behind
        Files.writeString(tmp.resolve("events.jsonl"), "{\"event\":\"started\"}\n{\"event\":\"fin");
        Path log = FILES.path(tmp.resolve("events.jsonl").toString());
        assertTrue(FILES.appendLine(log, "{\"event\":\"finished\"}", PATIENCE));
        assertEquals(List.of("{\"event\":\"started\"}", "{\"event\":\"fin", "{\"event\":\"finished\"}"),
                FILES.readString(log).lines().toList());
    }
}

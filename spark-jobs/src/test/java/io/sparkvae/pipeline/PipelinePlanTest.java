package io.sparkvae.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkvae.testing.ConsoleRun;
import io.sparkvae.testing.ConsoleRun.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vae pipeline --plan}: every stage in order with its output, read from the config alone (no Spark). */
class PipelinePlanTest {
    @TempDir
    Path tmp;

    private List<String[]> stageLines(String... extra) throws Exception {
        Path conf = Files.writeString(tmp.resolve("p.conf"), "data { dataset = punks, limit = 10 }\n");
        List<String> args = new java.util.ArrayList<>(List.of("pipeline", "--conf", conf.toString(), "--root", tmp.toString(), "--plan"));
        args.addAll(List.of(extra));
        Outcome o = ConsoleRun.vae(args.toArray(String[]::new));
        assertEquals(0, o.code(), o.err());
        return o.out().lines().map(l -> l.split("\t")).filter(f -> f.length == 3).toList();
    }

    @Test
    void listsEveryStageInOrderWithItsOutput() throws Exception {
        List<String[]> lines = stageLines();
        assertEquals(List.of("prepare", "train", "evaluate", "encode", "render", "generate", "export", "page"), lines.stream().map(f -> f[0]).toList());
        String run = tmp.toUri().getPath().replaceAll("/$", "") + "/runs/p";
        assertTrue(lines.get(3)[1].endsWith(run + "/encode/test"), lines.get(3)[1]);
        assertTrue(lines.get(5)[1].endsWith(run + "/generate"), lines.get(5)[1]);
        assertTrue(lines.get(6)[1].endsWith(run + "/export"), lines.get(6)[1]);
        assertTrue(lines.stream().allMatch(f -> f[2].equals("todo")));
    }

    @Test
    void theEncodeOutputFollowsItsConfig() throws Exception {
        assertTrue(stageLines("--set", "encode.split=val").get(3)[1].endsWith("/encode/val"));
        assertTrue(stageLines("--set", "encode.input=\"/data/other-images/\"").get(3)[1].endsWith("/encode/other-images"));
        assertTrue(stageLines("--set", "encode.input=/data/x", "--set", "encode.name=mine").get(3)[1].endsWith("/encode/mine"));
        Path conf = Files.writeString(tmp.resolve("q.conf"), "encode.name = \"../escape\"\n");
        Outcome bad = ConsoleRun.vae("pipeline", "--conf", conf.toString(), "--root", tmp.toString(), "--plan");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("encode.name") && bad.err().contains("../escape"), bad.err());
    }
}

package io.sparkvae.layout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkvae.testing.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;

/** The stage descriptors, and the lists outside Java that must name every pipeline stage. */
class StageDescriptorTest {

    @Test
    void namesAreUniqueAndEveryStageHasItsOwnOutputAndRecord() {
        RunLayout layout = RunLayout.of(new Path("/root"), "run", "data");
        var names = new HashSet<String>();
        var outputs = new HashSet<Path>();
        for (StageDescriptor s : StageDescriptor.values()) {
            assertTrue(names.add(s.commandName()), "two stages named " + s.commandName());
            assertTrue(outputs.add(s.output(layout)), "two stages write " + s.output(layout));
            assertTrue(s.provenanceRecord(layout).toString().startsWith(s.output(layout).toString()),
                    s + "'s provenance record lies inside its output");
            assertEquals(s, StageDescriptor.named(s.commandName()).orElseThrow());
        }
        assertEquals(List.of("prepare", "train", "evaluate", "encode", "render", "generate", "export", "page"),
                StageDescriptor.pipeline().stream().map(StageDescriptor::commandName).toList());
    }

    @Test
    void onlyPrepareReadsNoPreparedInputAndStagesAfterTrainReadTheModel() {
        assertTrue(Arrays.stream(StageDescriptor.values()).filter(s -> !s.reads(StageDescriptor.Input.DATASET)).toList()
                .equals(List.of(StageDescriptor.PREPARE)));
        for (StageDescriptor s : StageDescriptor.pipeline()) {
            assertEquals(s.ordinal() > StageDescriptor.TRAIN.ordinal(), s.reads(StageDescriptor.Input.MODEL), s.toString());
        }
    }

    @Test
    void theWorkflowRunsEveryPipelineStage() throws IOException {
        String snakefile = Files.readString(TestData.confDir().getParent().resolve("scripts/workflow/Snakefile"));
        Matcher m = Pattern.compile("(?m)^STAGES = \\(([^)]*)\\)").matcher(snakefile);
        assertTrue(m.find(), "the Snakefile lists its STAGES");
        List<String> listed = Arrays.stream(m.group(1).split(",")).map(x -> x.strip().replace("\"", "")).filter(x -> !x.isEmpty()).toList();
        assertEquals(StageDescriptor.pipeline().stream().map(StageDescriptor::commandName).toList(), listed);
        for (String stage : listed) {
            assertTrue(snakefile.contains("\nrule " + stage + ":"), "the Snakefile has a rule for " + stage);
        }
    }
}

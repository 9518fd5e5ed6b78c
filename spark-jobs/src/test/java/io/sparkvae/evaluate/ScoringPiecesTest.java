package io.sparkvae.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkvae.io.BadInputException;
import io.sparkvae.scoring.BlockPartitioner;
import io.sparkvae.scoring.BlockSum;
import io.sparkvae.scoring.ExampleScore;
import io.sparkvae.scoring.ScoringSettings;
import io.sparkvae.scoring.SplitBlocks;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The pure parts of scoring: block partitioning, aggregation. */
class ScoringPiecesTest {

    @Test
    void aBlockNeverSpansTwoPartitionsAndBlocksAreDealtRoundRobin() {
        BlockPartitioner p = new BlockPartitioner(3, 100);
        assertEquals(3, p.numPartitions());
        for (int i = 0; i < 100; i++) {
            assertEquals(p.getPartition(8000), p.getPartition(8000 + i));
        }
        assertEquals(0, p.getPartition(0));
        assertEquals(1, p.getPartition(150));
        assertEquals(2, p.getPartition(299));
        assertEquals(0, p.getPartition(300));
        assertEquals(new BlockPartitioner(3, 100), p);
        assertNotEquals(new BlockPartitioner(3, 50), p);
    }

    @Test
    void partitionCountIsBoundedByBlocksAndAtLeastTwoPerCore() {
        assertEquals(4, SplitBlocks.partitionsFor(10_000, 100, 4, 2));
        assertEquals(16, SplitBlocks.partitionsFor(10_000, 100, 4, 8));
        assertEquals(3, SplitBlocks.partitionsFor(200, 100, 4, 2)); // 2 blocks, or 3 when not aligned
        assertEquals(2, SplitBlocks.partitionsFor(1, 100, 4, 2));
    }

    @Test
    void metricsAreMeansPerImageFromBlockSumsInAnyOrder() {
        // Blocks of 5: indices 3 and 4 in block 0, 5 and 7 in block 1.
        List<ExampleScore> scores = List.of(
                new ExampleScore(3, null, 80.0, 20.0, -90.0, new float[] {0f}),
                new ExampleScore(4, 1, 70.0, 10.0, -85.0, new float[] {0f}),
                new ExampleScore(5, 2, 90.0, 30.0, -110.0, new float[] {0f}),
                new ExampleScore(7, 1, 120.0, 20.0, -120.0, new float[] {0f}));
        List<BlockSum> blocks = new ArrayList<>();
        BlockSum.of(scores.iterator(), 5).forEachRemaining(blocks::add);
        assertEquals(List.of(0L, 1L), blocks.stream().map(BlockSum::block).toList());
        assertEquals(List.of(2, 2), blocks.stream().map(BlockSum::examples).toList());
        assertEquals(List.of(1, 2), blocks.stream().map(BlockSum::labelled).toList());

        EvalMetrics m = EvalMetrics.of(blocks);
        assertEquals(4, m.examples());
        assertEquals(90.0, m.reconstruction(), 1e-12);
        assertEquals(20.0, m.kl(), 1e-12);
        assertEquals(110.0, m.negElbo(), 1e-12);
        assertEquals(-405.0 / 4, m.logLikelihoodIs(), 1e-12);
        assertEquals(110.0 - 405.0 / 4, m.isGap(), 1e-12);
        assertEquals(m, EvalMetrics.of(List.of(blocks.get(1), blocks.get(0))), "blocks are added in block order");
        assertThrows(IllegalArgumentException.class, () -> EvalMetrics.of(List.of()));
    }

    @Test
    void settingsRefuseNonPositiveSampleCountsExceptNoImportanceSampling() {
        assertThrows(BadInputException.class, () -> ScoringSettings.of(1, 1, -1));
        assertEquals(0, ScoringSettings.of(1, 1, 10).elboOnly().isSamples()); // 0: the ELBO alone
        assertThrows(BadInputException.class, () -> ScoringSettings.of(1, 0, 10));
        assertThrows(BadInputException.class, () -> new ScoringSettings(1, 1, 10, 0, false));
        // Validation draws afresh every epoch, from streams unrelated to the test scoring's.
        assertTrue(ScoringSettings.forValidation(1, 1, 100).seed() != ScoringSettings.forValidation(1, 2, 100).seed());
        assertTrue(ScoringSettings.forValidation(1, 1, 100).seed() != ScoringSettings.of(1, 1, 0).seed());
    }
}

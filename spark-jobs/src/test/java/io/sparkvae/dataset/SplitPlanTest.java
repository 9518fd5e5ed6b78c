package io.sparkvae.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SplitPlanTest {
    @Test
    void punkSplitsAreTheProjectsFixedRanges() {
        assertEquals(List.of(SplitRange.consecutive("train", SplitPlan.PUNKS_SHEET, 0, 6000),
                SplitRange.consecutive("val", SplitPlan.PUNKS_SHEET, 6000, 2000),
                SplitRange.consecutive("test", SplitPlan.PUNKS_SHEET, 8000, 2000)), SplitPlan.forPreset("punks", 0));
    }

    @Test
    void mnistValidationIsTheLastTenThousandTrainingImages() {
        var plan = SplitPlan.forPreset("mnist", 0);
        assertEquals(SplitRange.consecutive("val", SplitPlan.MNIST_TRAIN_IMAGES, 50_000, 10_000), plan.get(1));
        assertEquals(SplitRange.consecutive("test", SplitPlan.MNIST_TEST_IMAGES, 0, 10_000), plan.get(2));
    }

    @Test
    void limitKeepsTheFirstExamplesOfEachSplit() {
        var plan = SplitPlan.forPreset("punks", 300);
        assertEquals(List.of(300, 300, 300), plan.stream().map(SplitRange::count).toList());
        assertEquals(6000, plan.get(1).firstIndex());
    }

    @Test
    void hashedSplitsCoverEveryIndexOnceInTheConfiguredShares() {
        var plan = SplitPlan.hashed("sheet", 20_000, null, 0, 0.1, 0.2, 0);
        Set<Integer> seen = new HashSet<>();
        for (SplitRange r : plan) {
            for (int i : r.indices()) {
                assertTrue(seen.add(i), "index " + i + " in two splits");
            }
        }
        assertEquals(20_000, seen.size());
        assertEquals(2000, plan.get(1).count(), 150, "val about 10%");
        assertEquals(4000, plan.get(2).count(), 200, "test about 20%");
        // An example's split depends on its id alone: a larger source keeps every earlier example where it was.
        var larger = SplitPlan.hashed("sheet", 30_000, null, 0, 0.1, 0.2, 0);
        for (int s = 0; s < 3; s++) {
            int[] before = plan.get(s).indices();
            int[] after = java.util.Arrays.stream(larger.get(s).indices()).filter(i -> i < 20_000).toArray();
            assertArrayEquals(before, after, plan.get(s).split());
        }
    }

    @Test
    void anIdxTestFileIsTheTestSplit() {
        var plan = SplitPlan.hashed("train.idx", 1000, "test.idx", 300, 0.2, 0.5, 0);
        assertEquals(SplitRange.consecutive("test", "test.idx", 0, 300), plan.get(2));
        assertEquals(1000, plan.get(0).count() + plan.get(1).count(), "the training file gives only train and val");
        assertEquals(200, plan.get(1).count(), 40);
        assertEquals(SplitHash.split("17", 0.2, 0).equals("val"), java.util.Arrays.stream(plan.get(1).indices()).anyMatch(i -> i == 17));
    }

    @Test
    void chunksCoverTheRangeExactlyOnce() {
        SplitRange range = SplitRange.consecutive("val", "x", 6000, 2000);
        List<int[]> chunks = SingleFileFormat.chunks(range, 3);
        int next = 0;
        for (int[] c : chunks) {
            assertEquals(next, c[0]);
            next = c[1];
        }
        assertEquals(2000, next);
    }

    @Test
    void theDataBoundsThePartitions() {
        // data.partitions = 100000 on 200 examples: two chunks of 100 (a task and a Parquet file each), not 100000.
        assertEquals(2, SingleFileFormat.chunks(SplitRange.consecutive("train", "x", 0, 200), 100_000).size());
        assertEquals(1, SingleFileFormat.chunks(SplitRange.consecutive("train", "x", 0, 50), 4).size());
        assertEquals(4, SingleFileFormat.chunks(SplitRange.consecutive("train", "x", 0, 50_000), 4).size(), "large splits as asked");
        assertEquals(2, HashedTableWriter.boundedPartitions(100_000, 200));
        assertEquals(1, HashedTableWriter.boundedPartitions(4, 50));
        assertEquals(4, HashedTableWriter.boundedPartitions(4, 50_000));
    }
}

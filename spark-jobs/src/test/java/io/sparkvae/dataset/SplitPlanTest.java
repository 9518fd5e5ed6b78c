package io.sparkvae.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class SplitPlanTest {
    @Test
    void punkSplitsAreTheProjectsFixedRanges() {
        assertEquals(List.of(new SplitRange("train", SplitPlan.PUNKS_SHEET, 0, 6000),
                new SplitRange("val", SplitPlan.PUNKS_SHEET, 6000, 2000),
                new SplitRange("test", SplitPlan.PUNKS_SHEET, 8000, 2000)), SplitPlan.forDataset("punks", 0));
    }

    @Test
    void mnistValidationIsTheLastTenThousandTrainingImages() {
        var plan = SplitPlan.forDataset("mnist", 0);
        assertEquals(new SplitRange("val", SplitPlan.MNIST_TRAIN_IMAGES, 50_000, 10_000), plan.get(1));
        assertEquals(new SplitRange("test", SplitPlan.MNIST_TEST_IMAGES, 0, 10_000), plan.get(2));
    }

    @Test
    void limitKeepsTheFirstExamplesOfEachSplit() {
        var plan = SplitPlan.forDataset("punks", 300);
        assertEquals(List.of(300, 300, 300), plan.stream().map(SplitRange::count).toList());
        assertEquals(6000, plan.get(1).firstIndex());
    }

    @Test
    void chunksCoverTheRangeExactlyOnce() {
        List<int[]> chunks = DatasetPreparer.chunks(new SplitRange("val", "x", 6000, 2000), 3);
        int covered = 0;
        int next = 6000;
        for (int[] c : chunks) {
            assertEquals(next, c[0]);
            covered += c[1] - c[0];
            next = c[1];
        }
        assertEquals(2000, covered);
        assertEquals(8000, next);
    }

    @Test
    void theDataBoundsThePartitions() {
        // data.partitions = 100000 on 200 examples: two chunks of 100 (a task and a Parquet file each), not 100000.
        assertEquals(2, DatasetPreparer.chunks(new SplitRange("train", "x", 0, 200), 100_000).size());
        assertEquals(1, DatasetPreparer.chunks(new SplitRange("train", "x", 0, 50), 4).size());
        assertEquals(4, DatasetPreparer.chunks(new SplitRange("train", "x", 0, 50_000), 4).size(), "large splits as asked");
    }
}

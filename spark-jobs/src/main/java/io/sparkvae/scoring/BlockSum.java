package io.sparkvae.scoring;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The sums of one aligned block's scores (see {@link BlockPartitioner}), added in index order, computed where the
 * scores are: the driver receives one of these per block instead of one score per example.
 *
 * @param block         the block number
 * @param examples      scores in the block
 * @param labelled      how many of them carry a label
 */
public record BlockSum(long block, int examples, int labelled, double reconstruction, double kl, double logLikelihoodIs)
        implements Serializable {

    /** Sums a partition's scores block by block; they must arrive in ascending index order, as the scorer yields them. */
    public static Iterator<BlockSum> of(Iterator<ExampleScore> sortedScores, int blockSize) {
        List<BlockSum> out = new ArrayList<>();
        BlockSum current = null;
        while (sortedScores.hasNext()) {
            ExampleScore s = sortedScores.next();
            long block = BlockPartitioner.block(s.index(), blockSize);
            if (current == null || current.block != block) {
                if (current != null) {
                    out.add(current);
                }
                current = new BlockSum(block, 0, 0, 0, 0, 0);
            }
            current = new BlockSum(block, current.examples + 1, current.labelled + (s.label() == null ? 0 : 1),
                    current.reconstruction + s.reconstruction(), current.kl + s.kl(),
                    current.logLikelihoodIs + s.logLikelihoodIs());
        }
        if (current != null) {
            out.add(current);
        }
        return out.iterator();
    }

    /**
     * The sum of all {@code blocks}, added in block order: the same scores give a bit-identical total whatever the
     * partitioning that produced them.
     */
    public static BlockSum total(List<BlockSum> blocks) {
        List<BlockSum> sorted = new ArrayList<>(blocks);
        sorted.sort(java.util.Comparator.comparingLong(BlockSum::block));
        BlockSum t = new BlockSum(-1, 0, 0, 0, 0, 0);
        for (BlockSum b : sorted) {
            t = new BlockSum(-1, t.examples + b.examples, t.labelled + b.labelled, t.reconstruction + b.reconstruction,
                    t.kl + b.kl, t.logLikelihoodIs + b.logLikelihoodIs);
        }
        return t;
    }
}

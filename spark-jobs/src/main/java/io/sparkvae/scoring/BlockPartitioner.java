package io.sparkvae.scoring;

import org.apache.spark.Partitioner;

/**
 * Sends every example of one aligned block of indices ({@code [b*blockSize, (b+1)*blockSize)}) to one partition,
 * blocks dealt round-robin so partitions get even work. Keys are indices ({@code Integer} or {@code Long}).
 */
public final class BlockPartitioner extends Partitioner {
    private static final long serialVersionUID = 1L;

    private final int partitions;
    private final int blockSize;

    public BlockPartitioner(int partitions, int blockSize) {
        if (partitions < 1 || blockSize < 1) {
            throw new IllegalArgumentException("partitions and blockSize must be positive, got " + partitions + ", " + blockSize);
        }
        this.partitions = partitions;
        this.blockSize = blockSize;
    }

    /** The block an index belongs to. */
    public static long block(long index, int blockSize) {
        return Math.floorDiv(index, blockSize);
    }

    @Override
    public int numPartitions() {
        return partitions;
    }

    @Override
    public int getPartition(Object key) {
        return (int) Math.floorMod(block(((Number) key).longValue(), blockSize), (long) partitions);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BlockPartitioner p && p.partitions == partitions && p.blockSize == blockSize;
    }

    @Override
    public int hashCode() {
        return 31 * partitions + blockSize;
    }
}

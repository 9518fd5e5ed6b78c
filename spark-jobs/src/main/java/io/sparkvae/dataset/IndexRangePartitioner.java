package io.sparkvae.dataset;

import org.apache.spark.Partitioner;

/**
 * Partition {@code p} holds the indices in [p * total / n, (p + 1) * total / n): which rows land in which file is
 * fixed by the indices alone (no sampling), so a rerun writes the same files.
 */
final class IndexRangePartitioner extends Partitioner {
    private final int partitions;
    private final long total;

    IndexRangePartitioner(int partitions, long total) {
        this.partitions = partitions;
        this.total = Math.max(1, total);
    }

    @Override
    public int numPartitions() {
        return partitions;
    }

    @Override
    public int getPartition(Object key) {
        long index = ((Number) key).longValue();
        return (int) Math.min(partitions - 1, index * partitions / total);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IndexRangePartitioner p && p.partitions == partitions && p.total == total;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(total) * 31 + partitions;
    }
}

package io.sparkvae.scoring;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The mean of a double column from its exact sum, computed on the executors: the same whatever order the partial sums
 * arrive in (a floating-point sum would differ in its last bits between runs, as part files, and so partitions, are
 * listed in another order each time).
 */
public final class ExactMean {
    private ExactMean() {}

    /** The mean of the first column of {@code column}'s {@code rows} rows; NaN when empty or when a value is not finite. */
    public static double of(Dataset<Row> column, long rows) {
        List<BigDecimal> partials = column.javaRDD().mapPartitions(it -> {
            BigDecimal sum = BigDecimal.ZERO;
            while (it.hasNext()) {
                Row r = it.next();
                double v = r.isNullAt(0) ? Double.NaN : r.getDouble(0);
                if (!Double.isFinite(v)) {
                    return Collections.<BigDecimal>singletonList(null).iterator();
                }
                sum = sum.add(new BigDecimal(v));
            }
            return List.of(sum).iterator();
        }).collect();
        if (rows == 0 || partials.contains(null)) {
            return Double.NaN;
        }
        return partials.stream().reduce(BigDecimal.ZERO, BigDecimal::add).doubleValue() / rows;
    }
}

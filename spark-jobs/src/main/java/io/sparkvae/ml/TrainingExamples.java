package io.sparkvae.ml;

import io.sparkvae.dataset.ExampleRows;
import io.sparkvae.io.BadInputException;
import io.sparkvae.model.Seeds;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * A user's DataFrame as the rows the trainer reads ({@code dataset.ExampleRows}: index, split, label, pixels as
 * floats): each row's image read and checked ({@link PixelColumn}), its index taken from the index column or, without
 * one, its position, and its split ({@code train} or {@code val}) decided by a seeded hash of its pixels, so the
 * held-out set depends on the data and the seed alone, not on the partitioning.
 */
final class TrainingExamples {
    static final String TRAIN = "train";
    static final String VAL = "val";

    private TrainingExamples() {}

    /**
     * @param indexAt            position of an int/bigint index column, or -1 to number rows by position
     * @param validationFraction share of rows held out for validation, in [0, 1)
     */
    static Dataset<Row> of(SparkSession spark, Dataset<Row> input, PixelColumn pixels, int indexAt, String indexName,
                           double validationFraction, long seed) {
        double threshold = validationFraction * 0x1p53;
        JavaRDD<Row> rows;
        if (indexAt >= 0) {
            rows = input.javaRDD().map(r -> example(toInt(ScoredRows.index(r, indexAt, indexName), indexName), pixels.read(r),
                    threshold, seed));
        } else {
            rows = input.javaRDD().zipWithIndex().map(t -> example(toInt(t._2(), "row number"), pixels.read(t._1()),
                    threshold, seed));
        }
        return spark.createDataFrame(rows, ExampleRows.SCHEMA);
    }

    private static Row example(int index, float[] pixels, double threshold, long seed) {
        double u = Seeds.of(seed, Seeds.Purpose.HOLD_OUT, Seeds.contentKey(pixels)) >>> 11;
        return ExampleRows.row(index, u < threshold ? VAL : TRAIN, null, pixels);
    }

    private static int toInt(long index, String what) {
        if (index < Integer.MIN_VALUE || index > Integer.MAX_VALUE) {
            throw new BadInputException(what + " " + index + " is outside the int range the trainer indexes examples by");
        }
        return (int) index;
    }

    /** The rows of one split. */
    static Dataset<Row> split(Dataset<Row> examples, String split) {
        return examples.where(functions.col(ExampleRows.SPLIT).equalTo(split));
    }
}

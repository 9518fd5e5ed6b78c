package io.sparkvae.ml;

import io.sparkvae.dataset.ExampleRows;
import io.sparkvae.dataset.PixelColumn;
import io.sparkvae.io.BadInputException;
import io.sparkvae.model.Seeds;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A user's DataFrame as the rows the trainer reads ({@code dataset.ExampleRows}: index, split, label, pixels as
 * floats): each row's image read and checked ({@link PixelColumn}), its index taken from the index column or, without
 * one, its position, and its split ({@code train} or {@code val}) decided by a seeded hash of its pixels, so the
 * held-out set depends on the data and the seed alone, not on the partitioning, or by a boolean column ({@link HoldOut}).
 */
final class TrainingExamples {
    static final String TRAIN = "train";
    static final String VAL = "val";

    private TrainingExamples() {}

    /** How the held-out rows are chosen: by a seeded hash of their pixels, or by a boolean column. */
    record HoldOut(double fraction, int indicatorAt, String indicator) implements java.io.Serializable {
        /** {@code fraction} of the rows, in [0, 1), by a seeded hash of their pixels. */
        static HoldOut byHash(double fraction) {
            return new HoldOut(fraction, -1, null);
        }

        /** The rows whose boolean column {@code name} (at {@code at}) is true. */
        static HoldOut byColumn(int at, String name) {
            return new HoldOut(0, at, name);
        }

        boolean heldOut(Row row, float[] pixels, long seed) {
            if (indicatorAt < 0) {
                double u = Seeds.of(seed, Seeds.Purpose.HOLD_OUT, Seeds.contentKey(pixels)) >>> 11;
                return u < fraction * 0x1p53;
            }
            if (row.isNullAt(indicatorAt)) {
                throw new BadInputException("validation indicator column '" + indicator + "' is null in a row; it must be "
                        + "true (held out) or false (trained on)");
            }
            return row.getBoolean(indicatorAt);
        }
    }

    /**
     * The position of the boolean validation indicator column {@code name}, or -1 when {@code name} is empty.
     *
     * @throws IllegalArgumentException when the column is missing or not boolean
     */
    static int indicatorAt(StructType schema, String name, String owner) {
        if (name.isEmpty()) {
            return -1;
        }
        if (schema.getFieldIndex(name).isEmpty()) {
            throw new IllegalArgumentException(owner + ": validation indicator column '" + name + "' does not exist; columns: "
                    + String.join(", ", schema.fieldNames()));
        }
        if (!schema.apply(name).dataType().equals(DataTypes.BooleanType)) {
            throw new IllegalArgumentException(owner + ": validation indicator column '" + name + "' is "
                    + schema.apply(name).dataType().simpleString() + "; expected boolean");
        }
        return schema.fieldIndex(name);
    }

    /** @param indexAt position of an int/bigint index column, or -1 to number rows by position */
    static Dataset<Row> of(SparkSession spark, Dataset<Row> input, PixelColumn pixels, int indexAt, String indexName,
                           HoldOut holdOut, long seed) {
        JavaRDD<Row> rows;
        if (indexAt >= 0) {
            rows = input.javaRDD().map(r -> example(toInt(ScoredRows.index(r, indexAt, indexName), indexName), r, pixels,
                    holdOut, seed));
        } else {
            rows = input.javaRDD().zipWithIndex().map(t -> example(toInt(t._2(), "row number"), t._1(), pixels, holdOut, seed));
        }
        return spark.createDataFrame(rows, ExampleRows.SCHEMA);
    }

    private static Row example(int index, Row row, PixelColumn pixels, HoldOut holdOut, long seed) {
        float[] image = pixels.read(row);
        return ExampleRows.row(index, holdOut.heldOut(row, image, seed) ? VAL : TRAIN, null, image);
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

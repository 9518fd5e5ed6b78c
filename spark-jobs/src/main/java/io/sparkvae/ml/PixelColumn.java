package io.sparkvae.ml;

import io.sparkvae.io.BadInputException;
import java.io.Serializable;
import java.util.Locale;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.collection.Seq;

/**
 * Reads a model input column: one image per row as {@code array<float>}, {@code array<double>} or a Spark ML
 * {@code Vector}, HWC values in [0, 1], as many as the model takes. {@link #check} refuses a schema that cannot hold
 * such images before any job runs; {@link #read} refuses a row that does not, naming the column, the row and what was
 * expected and found (the task fails with a {@link BadInputException}).
 */
final class PixelColumn implements Serializable {
    private static final long serialVersionUID = 1L;

    private enum Kind { FLOATS, DOUBLES, VECTOR }

    private final String column;
    private final int at;
    private final Kind kind;
    private final int size;
    /** The index column naming a bad row in messages, and its position, or null and -1. */
    private final String index;
    private final int indexAt;

    private PixelColumn(String column, int at, Kind kind, int size, String index, int indexAt) {
        this.column = column;
        this.at = at;
        this.kind = kind;
        this.size = size;
        this.index = index;
        this.indexAt = indexAt;
    }

    /**
     * Checks that {@code schema} has {@code column} of a type images can be read from and, where the schema says the
     * vectors' size, that it is {@code size}; returns the reader.
     *
     * @param index the index column naming rows in messages, or null
     * @throws IllegalArgumentException naming the column and what is wrong
     */
    static PixelColumn check(StructType schema, String column, int size, String index, String owner) {
        StructField field = field(schema, column, owner);
        Kind kind = kindOf(field.dataType());
        if (kind == null) {
            throw new IllegalArgumentException(owner + ": input column '" + column + "' is " + field.dataType().simpleString()
                    + "; expected array<float>, array<double> or vector (one image of pixel values in [0, 1] per row)");
        }
        if (kind == Kind.VECTOR && size > 0) {
            int declared = AttributeGroup.fromStructField(field).size();
            if (declared >= 0 && declared != size) {
                throw new IllegalArgumentException(owner + ": input column '" + column + "' holds vectors of size " + declared
                        + " (its metadata says) but the model takes " + size + " values per image");
            }
        }
        int indexAt = index != null && schema.getFieldIndex(index).isDefined() ? schema.fieldIndex(index) : -1;
        return new PixelColumn(column, schema.fieldIndex(column), kind, size, indexAt >= 0 ? index : null, indexAt);
    }

    /** The field, or an exception naming it and the columns there are. */
    static StructField field(StructType schema, String column, String owner) {
        if (column == null || column.isEmpty() || schema.getFieldIndex(column).isEmpty()) {
            throw new IllegalArgumentException(owner + ": input column '" + column + "' does not exist; columns: "
                    + String.join(", ", schema.fieldNames()));
        }
        return schema.apply(column);
    }

    private static Kind kindOf(DataType type) {
        if (type instanceof ArrayType a) {
            if (a.elementType().equals(DataTypes.FloatType)) {
                return Kind.FLOATS;
            }
            if (a.elementType().equals(DataTypes.DoubleType)) {
                return Kind.DOUBLES;
            }
            return null;
        }
        return type instanceof VectorUDT ? Kind.VECTOR : null;
    }

    /** The same column for images of {@code imageSize} values (when the size is learnt from the data). */
    PixelColumn ofSize(int imageSize) {
        return new PixelColumn(column, at, kind, imageSize, index, indexAt);
    }

    /** One row's image as floats, checked. */
    float[] read(Row row) {
        return toFloats(raw(row), indexAt >= 0 && !row.isNullAt(indexAt) ? row.get(indexAt) : null);
    }

    /**
     * One row's image as the primitive array it holds ({@code float[]} for {@code array<float>}, else {@code double[]}):
     * compact to ship between executors, and the exact values to give back in the output row.
     */
    Object raw(Row row) {
        Object index = indexAt >= 0 && !row.isNullAt(indexAt) ? row.get(indexAt) : null;
        if (row.isNullAt(at)) {
            throw bad(index, "is null");
        }
        if (kind == Kind.VECTOR) {
            return ((Vector) row.get(at)).toArray();
        }
        Seq<Object> seq = row.getSeq(at);
        float[] floats = kind == Kind.FLOATS ? new float[seq.length()] : null;
        double[] doubles = kind == Kind.DOUBLES ? new double[seq.length()] : null;
        var it = seq.iterator();
        for (int i = 0; it.hasNext(); i++) {
            Object v = it.next();
            if (v == null) {
                throw bad(index, "holds a null at position " + i);
            }
            if (floats != null) {
                floats[i] = (Float) v;
            } else {
                doubles[i] = (Double) v;
            }
        }
        return floats != null ? floats : doubles;
    }

    /** {@link #raw} as the column's own value again, for the output row. */
    Object value(Object raw) {
        if (kind == Kind.VECTOR) {
            return org.apache.spark.ml.linalg.Vectors.dense((double[]) raw);
        }
        if (raw instanceof float[] f) {
            Float[] boxed = new Float[f.length];
            for (int i = 0; i < f.length; i++) {
                boxed[i] = f[i];
            }
            return boxed;
        }
        double[] d = (double[]) raw;
        Double[] boxed = new Double[d.length];
        for (int i = 0; i < d.length; i++) {
            boxed[i] = d[i];
        }
        return boxed;
    }

    /** The column's position in the row. */
    int position() {
        return at;
    }

    /**
     * A {@link #raw} image as the floats the model takes, checked: its size and every value in [0, 1].
     *
     * @param index the row's index value, naming the row in a refusal, or null
     */
    float[] toFloats(Object raw, Object index) {
        float[] out;
        if (raw instanceof float[] f) {
            out = f;
        } else {
            double[] d = (double[]) raw;
            out = new float[d.length];
            for (int i = 0; i < d.length; i++) {
                out[i] = (float) d[i];
            }
        }
        if (size > 0 && out.length != size) {
            throw bad(index, "holds " + out.length + " values but the model takes " + size);
        }
        for (int i = 0; i < out.length; i++) {
            if (!(out[i] >= 0f && out[i] <= 1f)) {
                throw bad(index, String.format(Locale.ROOT, "holds %s at position %d; pixel values must be in [0, 1]", out[i], i));
            }
        }
        return out;
    }

    private BadInputException bad(Object indexValue, String problem) {
        String where = indexValue != null ? " in the row with " + index + " " + indexValue : " in a row";
        return new BadInputException("column '" + column + "'" + where + " " + problem);
    }
}

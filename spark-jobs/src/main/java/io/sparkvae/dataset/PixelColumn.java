package io.sparkvae.dataset;

import io.sparkvae.data.ImageTarget;
import io.sparkvae.io.BadInputException;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.function.Function;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.UserDefinedType;
import scala.collection.Seq;

/**
 * The one reader of a pixel column: one image per row as {@code array<float>}, {@code array<double>} or a Spark ML
 * {@code Vector} of HWC values in [0, 1]. Prepare reads a Parquet table's column into examples ({@link #ofTable},
 * {@link #readExample}), which may also hold a vector as the struct {@code (type, size, indices, values)} it is stored
 * as (what a Spark without MLlib sees) or {@code binary} image files, decoded as in an image folder. {@code ml.VaeModel}
 * and {@code ml.VaeEstimator} read a DataFrame's input column ({@link #check}, {@link #read}, {@link #raw}): a schema
 * that cannot hold images is refused before any job, and a bad row fails its task naming the column and the row.
 */
public final class PixelColumn implements Serializable {
    private static final long serialVersionUID = 1L;

    private enum Kind { FLOATS, DOUBLES, VECTOR, VECTOR_STRUCT, BINARY }

    private final Kind kind;
    /** The column's type, for a vector's user-defined type. */
    private final DataType type;
    private final String column;
    private final int at;
    /** Values per image, or 0 while unknown. */
    private final int size;
    /** A table's image shape, and how its binary files decode; null for a model's input column. */
    private final ImageTarget target;
    /** The index column naming a bad row in messages, and its position, or null and -1. */
    private final String index;
    private final int indexAt;

    private PixelColumn(Kind kind, DataType type, String column, int at, int size, ImageTarget target, String index, int indexAt) {
        this.kind = kind;
        this.type = type;
        this.column = column;
        this.at = at;
        this.size = size;
        this.target = target;
        this.index = index;
        this.indexAt = indexAt;
    }

    // ---- a table being prepared ------------------------------------------------------------------------------------

    /**
     * The reader of a table's pixel column of {@code type} at position {@code at}, for images of {@code target}'s shape.
     *
     * @throws BadInputException naming the column ({@code where}) and its type when images cannot be read from it
     */
    static PixelColumn ofTable(DataType type, int at, ImageTarget target, String where) {
        Kind kind = kindOf(type);
        if (kind == null && type.equals(DataTypes.BinaryType)) {
            kind = Kind.BINARY;
        } else if (kind == null && isVectorStruct(type)) {
            kind = Kind.VECTOR_STRUCT;
        }
        if (kind == null) {
            throw new BadInputException(where + " is of type " + type.simpleString() + ", not array<float>, array<double>, an ML Vector"
                    + " or binary (an image file)");
        }
        return new PixelColumn(kind, type, "pixels", at, target.shape().size(), target, null, -1);
    }

    /**
     * One row's pixels as the example's HWC floats; a BadInputException's message (without a location, to follow the
     * word "pixels") says what is wrong.
     */
    float[] readExample(Row row) {
        Object values = values(row, BadInputException::new);
        if (kind == Kind.BINARY) {
            return (float[]) values; // decoded to the target's shape, in [0, 1]
        }
        int n = values instanceof float[] f ? f.length : ((double[]) values).length;
        if (n != size) {
            throw new BadInputException("has " + n + " values, expected " + size + " (" + target.height() + "x" + target.width()
                    + "x" + target.channels() + ")");
        }
        float[] out = floats(values);
        for (int k = 0; k < n; k++) {
            if (!(out[k] >= 0f && out[k] <= 1f)) {
                Object shown = values instanceof float[] f ? (Object) f[k] : (Object) ((double[]) values)[k];
                throw new BadInputException("value " + k + " = " + shown + " is outside [0,1]");
            }
        }
        return out;
    }

    /** The bytes the source digest covers: the pixel values as read. */
    static byte[] contentBytes(float[] pixels) {
        ByteBuffer b = ByteBuffer.allocate(pixels.length * 4);
        for (float v : pixels) {
            b.putFloat(v);
        }
        return b.array();
    }

    // ---- a model's input column ------------------------------------------------------------------------------------

    /**
     * Checks that {@code schema} has {@code column} of a type images can be read from and, where the schema says the
     * vectors' size, that it is {@code size}; returns the reader.
     *
     * @param size  values per image, or 0 when not known yet
     * @param index the index column naming rows in messages, or null
     * @throws IllegalArgumentException naming {@code owner}, the column and what is wrong
     */
    public static PixelColumn check(StructType schema, String column, int size, String index, String owner) {
        StructField field = field(schema, column, owner);
        Kind kind = kindOf(field.dataType());
        if (kind == null || kind == Kind.VECTOR && !(field.dataType() instanceof VectorUDT)) {
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
        return new PixelColumn(kind, field.dataType(), column, schema.fieldIndex(column), size, null, indexAt >= 0 ? index : null,
                indexAt);
    }

    private static StructField field(StructType schema, String column, String owner) {
        if (column == null || column.isEmpty() || schema.getFieldIndex(column).isEmpty()) {
            throw new IllegalArgumentException(owner + ": input column '" + column + "' does not exist; columns: "
                    + String.join(", ", schema.fieldNames()));
        }
        return schema.apply(column);
    }

    /** The same column for images of {@code imageSize} values (when the size is learnt from the data). */
    public PixelColumn ofSize(int imageSize) {
        return new PixelColumn(kind, type, column, at, imageSize, target, index, indexAt);
    }

    /** One row's image as floats, checked. */
    public float[] read(Row row) {
        return toFloats(raw(row), indexValue(row));
    }

    /**
     * One row's image as the primitive array it holds ({@code float[]} for {@code array<float>}, else {@code double[]}):
     * compact to ship between executors, and the exact values to give back in the output row.
     */
    public Object raw(Row row) {
        Object indexValue = indexValue(row);
        return values(row, problem -> bad(indexValue, problem));
    }

    /** {@link #raw} as the column's own value again, for the output row. */
    public Object value(Object raw) {
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
    public int position() {
        return at;
    }

    /**
     * A {@link #raw} image as the floats the model takes, checked: its size and every value in [0, 1].
     *
     * @param indexValue the row's index value, naming the row in a refusal, or null
     */
    public float[] toFloats(Object raw, Object indexValue) {
        float[] out = floats(raw);
        if (size > 0 && out.length != size) {
            throw bad(indexValue, "holds " + out.length + " values but the model takes " + size);
        }
        for (int i = 0; i < out.length; i++) {
            if (!(out[i] >= 0f && out[i] <= 1f)) {
                throw bad(indexValue, String.format(Locale.ROOT, "holds %s at position %d; pixel values must be in [0, 1]", out[i], i));
            }
        }
        return out;
    }

    private Object indexValue(Row row) {
        return indexAt >= 0 && !row.isNullAt(indexAt) ? row.get(indexAt) : null;
    }

    private BadInputException bad(Object indexValue, String problem) {
        String where = indexValue != null ? " in the row with " + index + " " + indexValue : " in a row";
        return new BadInputException("column '" + column + "'" + where + " " + problem);
    }

    // ---- reading, both ways ----------------------------------------------------------------------------------------

    /** The column types both readers take; null for others. */
    private static Kind kindOf(DataType type) {
        if (type instanceof ArrayType a) {
            if (a.elementType().equals(DataTypes.FloatType)) {
                return Kind.FLOATS;
            }
            return a.elementType().equals(DataTypes.DoubleType) ? Kind.DOUBLES : null;
        }
        return type instanceof UserDefinedType<?> u && isVectorStruct(u.sqlType()) ? Kind.VECTOR : null;
    }

    private static boolean isVectorStruct(DataType type) {
        return type instanceof StructType s && s.fields().length == 4 && s.fieldNames()[0].equals("type") && s.fieldNames()[1].equals("size")
                && s.fieldNames()[2].equals("indices") && s.fieldNames()[3].equals("values");
    }

    /**
     * The row's image as the primitive array the column holds: {@code float[]} for {@code array<float>} and decoded
     * files, else {@code double[]} (a sparse vector filled in to its size).
     *
     * @param refuse makes the exception for a problem, phrased to follow the column's name
     */
    private Object values(Row row, Function<String, BadInputException> refuse) {
        if (row.isNullAt(at)) {
            throw refuse.apply("is null");
        }
        return switch (kind) {
            case FLOATS, DOUBLES -> array(row.getSeq(at), refuse);
            case BINARY -> decode((byte[]) row.get(at), refuse);
            case VECTOR_STRUCT -> {
                Row v = row.getStruct(at);
                yield vector(((Number) v.get(0)).intValue(), v.isNullAt(1) ? -1 : v.getInt(1),
                        v.isNullAt(2) ? null : ints(v.getSeq(2)), doubles(v.getSeq(3), refuse), refuse);
            }
            case VECTOR -> {
                Object value = row.get(at);
                if (value instanceof Vector v) {
                    yield v.toArray();
                }
                @SuppressWarnings("unchecked")
                InternalRow v = (InternalRow) ((UserDefinedType<Object>) type).serialize(value);
                yield vector(v.getByte(0), v.isNullAt(1) ? -1 : v.getInt(1), v.isNullAt(2) ? null : v.getArray(2).toIntArray(),
                        v.getArray(3).toDoubleArray(), refuse);
            }
        };
    }

    private Object array(Seq<Object> seq, Function<String, BadInputException> refuse) {
        return kind == Kind.FLOATS ? floatsOf(seq, refuse) : doubles(seq, refuse);
    }

    private static float[] floatsOf(Seq<Object> seq, Function<String, BadInputException> refuse) {
        float[] out = new float[seq.length()];
        var it = seq.iterator();
        for (int i = 0; it.hasNext(); i++) {
            Object v = it.next();
            if (v == null) {
                throw refuse.apply("holds a null at position " + i);
            }
            out[i] = (Float) v;
        }
        return out;
    }

    private static double[] doubles(Seq<Object> seq, Function<String, BadInputException> refuse) {
        double[] out = new double[seq.length()];
        var it = seq.iterator();
        for (int i = 0; it.hasNext(); i++) {
            Object v = it.next();
            if (v == null) {
                throw refuse.apply("holds a null at position " + i);
            }
            out[i] = ((Number) v).doubleValue();
        }
        return out;
    }

    private static int[] ints(Seq<Object> seq) {
        int[] out = new int[seq.length()];
        var it = seq.iterator();
        for (int i = 0; it.hasNext(); i++) {
            out[i] = ((Number) it.next()).intValue();
        }
        return out;
    }

    /** An ML Vector's values: type 0 sparse (size, indices, values) filled in, 1 dense (values). */
    private static double[] vector(int vectorType, int vectorSize, int[] indices, double[] values,
            Function<String, BadInputException> refuse) {
        if (vectorType == 1) {
            return values;
        }
        double[] out = new double[Math.max(0, vectorSize)];
        for (int k = 0; k < indices.length; k++) {
            if (indices[k] < 0 || indices[k] >= out.length) {
                throw refuse.apply("holds a sparse vector with index " + indices[k] + " outside its size " + vectorSize);
            }
            out[indices[k]] = values[k];
        }
        return out;
    }

    private float[] decode(byte[] bytes, Function<String, BadInputException> refuse) {
        ImageFileDecoder.Outcome decoded = new ImageFileDecoder(target).decode(bytes);
        if (!decoded.ok()) {
            throw refuse.apply(decoded.wrongSize() ? decoded.problem() + " (data.parquet.resize = none)" : "image: " + decoded.problem());
        }
        return decoded.pixels();
    }

    private static float[] floats(Object values) {
        if (values instanceof float[] f) {
            return f;
        }
        double[] d = (double[]) values;
        float[] out = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            out[i] = (float) d[i];
        }
        return out;
    }
}

package io.sparkvae.dataset;

import io.sparkvae.data.ImageTarget;
import io.sparkvae.io.BadInputException;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.UserDefinedType;

/**
 * Reads a Parquet table's pixel column into HWC floats: {@code array<float|double>} of values in [0,1], a Spark ML
 * {@code Vector} (as its user-defined type, or as the struct {@code (type, size, indices, values)} it is stored as,
 * which is what a Spark without MLlib sees), or {@code binary} image files decoded as in an image folder.
 */
final class PixelColumn implements Serializable {
    /** The column's kind. */
    enum Kind { ARRAY, VECTOR_STRUCT, VECTOR_UDT, BINARY }

    private final Kind kind;
    private final ImageTarget target;
    /** The user-defined type, for {@link Kind#VECTOR_UDT}. */
    private final UserDefinedType<Object> udt;

    @SuppressWarnings("unchecked")
    private PixelColumn(Kind kind, ImageTarget target, DataType type) {
        this.kind = kind;
        this.target = target;
        this.udt = kind == Kind.VECTOR_UDT ? (UserDefinedType<Object>) type : null;
    }

    /** The reader for a column of {@code type}, or a BadInputException naming the column and its type. */
    static PixelColumn of(DataType type, ImageTarget target, String where) {
        if (type instanceof ArrayType a && (a.elementType().equals(DataTypes.FloatType) || a.elementType().equals(DataTypes.DoubleType))) {
            return new PixelColumn(Kind.ARRAY, target, type);
        }
        if (type.equals(DataTypes.BinaryType)) {
            return new PixelColumn(Kind.BINARY, target, type);
        }
        if (isVectorStruct(type)) {
            return new PixelColumn(Kind.VECTOR_STRUCT, target, type);
        }
        if (type instanceof UserDefinedType<?> u && isVectorStruct(u.sqlType())) {
            return new PixelColumn(Kind.VECTOR_UDT, target, type);
        }
        throw new BadInputException(where + " is of type " + type.simpleString() + ", not array<float>, array<double>, an ML Vector"
                + " or binary (an image file)");
    }

    private static boolean isVectorStruct(DataType type) {
        return type instanceof StructType s && s.fields().length == 4 && s.fieldNames()[0].equals("type") && s.fieldNames()[1].equals("size")
                && s.fieldNames()[2].equals("indices") && s.fieldNames()[3].equals("values");
    }

    /** Pixels of field {@code i} of {@code row}; a BadInputException's message (without a location) says what is wrong. */
    float[] read(Row row, int i) {
        if (row.isNullAt(i)) {
            throw new BadInputException("are null"); // the caller says whose: "<table> row r1: pixels are null"
        }
        return switch (kind) {
            case ARRAY -> checked(row.getList(i));
            case BINARY -> decode((byte[]) row.get(i));
            case VECTOR_STRUCT -> {
                Row v = row.getStruct(i);
                yield vector(((Number) v.get(0)).intValue(), v.isNullAt(1) ? -1 : v.getInt(1),
                        v.isNullAt(2) ? null : v.getList(2), v.getList(3));
            }
            case VECTOR_UDT -> {
                InternalRow v = (InternalRow) udt.serialize(row.get(i));
                yield vector(v.getByte(0), v.isNullAt(1) ? -1 : v.getInt(1), v.isNullAt(2) ? null : boxed(v.getArray(2).toIntArray()),
                        boxed(v.getArray(3).toDoubleArray()));
            }
        };
    }

    /** The bytes the source digest covers: the pixel values as read, or the image file. */
    static byte[] contentBytes(float[] pixels) {
        ByteBuffer b = ByteBuffer.allocate(pixels.length * 4);
        for (float v : pixels) {
            b.putFloat(v);
        }
        return b.array();
    }

    private float[] decode(byte[] bytes) {
        ImageFileDecoder.Outcome decoded = new ImageFileDecoder(target).decode(bytes);
        if (!decoded.ok()) {
            throw new BadInputException((decoded.wrongSize() ? decoded.problem() + " (data.parquet.resize = none)"
                    : "image: " + decoded.problem()));
        }
        return decoded.pixels();
    }

    /** An ML Vector: type 0 sparse (size, indices, values), 1 dense (values). */
    private float[] vector(int type, int size, List<?> indices, List<?> values) {
        if (type == 1) {
            return checked(values);
        }
        if (size != target.shape().size()) {
            throw new BadInputException("has " + size + " values, expected " + target.shape().size());
        }
        float[] out = new float[size];
        for (int k = 0; k < indices.size(); k++) {
            out[((Number) indices.get(k)).intValue()] = value(values.get(k), ((Number) indices.get(k)).intValue());
        }
        return out;
    }

    private float[] checked(List<?> values) {
        int n = target.shape().size();
        if (values.size() != n) {
            throw new BadInputException("has " + values.size() + " values, expected " + n + " (" + target.height() + "x"
                    + target.width() + "x" + target.channels() + ")");
        }
        float[] out = new float[n];
        for (int k = 0; k < n; k++) {
            out[k] = value(values.get(k), k);
        }
        return out;
    }

    private static float value(Object o, int k) {
        if (o == null) {
            throw new BadInputException("value " + k + " is null");
        }
        float v = ((Number) o).floatValue();
        if (!(v >= 0f && v <= 1f)) {
            throw new BadInputException("value " + k + " = " + o + " is outside [0,1]");
        }
        return v;
    }

    private static List<Object> boxed(int[] a) {
        return java.util.Arrays.stream(a).boxed().map(x -> (Object) x).toList();
    }

    private static List<Object> boxed(double[] a) {
        return java.util.Arrays.stream(a).boxed().map(x -> (Object) x).toList();
    }
}

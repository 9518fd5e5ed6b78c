package io.sparkvae.dataset;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.collection.Seq;

/**
 * The Parquet row layout of one example: index (unique in its split, independent of partitioning; evaluation seeds
 * its noise by it), split, label (nullable), HWC pixels in [0,1], and the example's id where its format has one (an
 * image's path below the folder, a table's id column; null for IDX files and sprite sheets, whose id is the index).
 */
public final class ExampleRows {
    public static final String INDEX = "index";
    public static final String SPLIT = "split";
    public static final String LABEL = "label";
    public static final String PIXELS = "pixels";
    public static final String ID = "id";

    public static final StructType SCHEMA = new StructType()
            .add(INDEX, DataTypes.IntegerType, false)
            .add(SPLIT, DataTypes.StringType, false)
            .add(LABEL, DataTypes.IntegerType, true)
            .add(PIXELS, DataTypes.createArrayType(DataTypes.FloatType, false), false)
            .add(ID, DataTypes.StringType, true);

    private ExampleRows() {}

    /** A row without an id (single-file formats). */
    public static Row row(int index, String split, Integer label, float[] pixels) {
        return row(index, split, label, pixels, null);
    }

    public static Row row(int index, String split, Integer label, float[] pixels, String id) {
        return RowFactory.create(index, split, label, pixels, id);
    }

    public static int index(Row row) {
        return row.getInt(row.fieldIndex(INDEX));
    }

    public static Integer label(Row row) {
        int i = row.fieldIndex(LABEL);
        return row.isNullAt(i) ? null : row.getInt(i);
    }

    /** The pixels as a primitive array (Parquet hands them back as a Scala sequence). */
    public static float[] pixels(Row row) {
        Seq<Object> seq = row.getSeq(row.fieldIndex(PIXELS));
        float[] out = new float[seq.length()];
        var it = seq.iterator();
        for (int i = 0; it.hasNext(); i++) {
            out[i] = (Float) it.next();
        }
        return out;
    }
}

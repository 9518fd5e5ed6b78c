package io.sparkvae.dataset;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The intermediate table the many-file formats (image folders, Parquet tables) decode into on the executors, one row
 * per source item, before ranking and splitting: either pixels, or the problem that kept the item from being read.
 */
final class StagedExamples {
    static final String ID = "id";
    static final String LABEL = "label";
    static final String PIXELS = "pixels";
    static final String SPLIT = "split";
    /** Why the item could not be used (null when it could): the message after "<where>: ". */
    static final String PROBLEM = "problem";
    /** True for a problem that {@code on-bad-image = skip} does not skip (the config, not the file, is at fault). */
    static final String FATAL = "fatal";
    /** {@link SourceDigest#item} of the item. */
    static final String DIGEST = "digest";

    static final StructType SCHEMA = new StructType()
            .add(ID, DataTypes.StringType, false)
            .add(LABEL, DataTypes.IntegerType, true)
            .add(PIXELS, DataTypes.createArrayType(DataTypes.FloatType, false), true)
            .add(SPLIT, DataTypes.StringType, false)
            .add(PROBLEM, DataTypes.StringType, true)
            .add(FATAL, DataTypes.BooleanType, false)
            .add(DIGEST, DataTypes.BinaryType, false);

    private StagedExamples() {}

    static Row good(String id, Integer label, float[] pixels, String split, byte[] digest) {
        return RowFactory.create(id, label, pixels, split, null, false, digest);
    }

    static Row bad(String id, String problem, boolean fatal, String split, byte[] digest) {
        return RowFactory.create(id, null, null, split, problem, fatal, digest);
    }
}

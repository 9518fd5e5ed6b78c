package io.sparkvae.dataset;

import io.sparkvae.spark.LiteralPaths;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;

import io.sparkvae.config.JobConfig;
import io.sparkvae.data.Compositing;
import io.sparkvae.data.ImageTarget;
import io.sparkvae.data.Resize;
import io.sparkvae.io.BadInputException;
import io.sparkvae.io.HadoopFiles;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;

/**
 * An existing Parquet table: a pixel column ({@link PixelColumn}), optional label and id columns. Without an id
 * column, each row's id is its file (below the table) and position in it, from Spark's {@code _metadata}.
 */
final class ParquetTableFormat {
    private final SparkSession spark;
    private final HadoopFiles files;

    ParquetTableFormat(SparkSession spark, HadoopFiles files) {
        this.spark = spark;
        this.files = files;
    }

    FormatOutput write(JobConfig.Data data, Path rawDir, Path tmp) {
        JobConfig.ParquetTable t = data.parquet();
        Path table = SourcePaths.resolve(files, rawDir, t.path());
        if (!files.exists(table)) {
            throw new BadInputException("parquet table not found: " + table);
        }
        Dataset<Row> df;
        try {
            df = LiteralPaths.read(spark).parquet(table.toString());
            df.schema(); // forces the footer read: a folder of other files fails here
        } catch (RuntimeException e) {
            throw new BadInputException(table + ": not a readable Parquet table (" + firstLine(e) + ")", e);
        }
        StructField pixels = field(df, t.pixels(), "data.parquet.pixels", table);
        JobConfig.ImageShaping s = t.image();
        ImageTarget target = new ImageTarget(s.width(), s.height(), s.channels(), Resize.parse(s.resize()), Compositing.parseColour(s.background()));
        PixelColumn reader = PixelColumn.ofTable(pixels.dataType(), 2, target, table + ": column '" + t.pixels() + "' (data.parquet.pixels)");
        Column label = lit(null).cast(DataTypes.IntegerType);
        if (!t.label().isEmpty()) {
            DataType type = field(df, t.label(), "data.parquet.label", table).dataType();
            if (!Arrays.asList(DataTypes.ByteType, DataTypes.ShortType, DataTypes.IntegerType, DataTypes.LongType).contains(type)) {
                throw new BadInputException(table + ": column '" + t.label() + "' (data.parquet.label) is of type " + type.simpleString()
                        + ", not an integer type");
            }
            label = col(t.label());
        }
        Column id;
        if (t.id().isEmpty()) {
            String prefix = files.fs(table).makeQualified(table).toString().replaceAll("/+$", "");
            // Spark's file path is a URI string; keep what lies below the table.
            id = concat(org.apache.spark.sql.functions.regexp_replace(col("_metadata.file_path"), "^.*?" + java.util.regex.Pattern.quote(
                    new Path(prefix).toUri().getPath()) + "/?", ""), lit("#"), col("_metadata.row_index").cast(DataTypes.StringType));
        } else {
            field(df, t.id(), "data.parquet.id", table);
            id = col(t.id()).cast(DataTypes.StringType);
        }
        Dataset<Row> picked = df.select(id.as("id"), label.cast(DataTypes.IntegerType).as("label"), col(t.pixels()).as("pixels"));
        if (!t.id().isEmpty()) {
            // Null ids are refused row by row ("id is null"), not as one id seen many times.
            Row dup = picked.where(col("id").isNotNull()).groupBy("id").agg(count(lit(1)).as("n")).where(col("n").gt(1)).orderBy("id").limit(1).collectAsList()
                    .stream().findFirst().orElse(null);
            if (dup != null) {
                throw new BadInputException(table + ": id column '" + t.id() + "' (data.parquet.id) holds '" + dup.get(0) + "' "
                        + dup.getLong(1) + " times; ids must be unique");
            }
        }
        double val = data.valFraction();
        double test = data.testFraction();
        JavaRDD<Row> staged = picked.javaRDD().map(r -> stage(r, reader, val, test));
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("pixel_column", pixels.dataType().simpleString());
        var settings = new HashedTableWriter.Settings(t.path(), rowId -> table + " row " + rowId, false, "", data.partitions(), data.limit());
        return new HashedTableWriter(spark, files).write(staged, target.shape(), tmp, settings, details);
    }

    private static Row stage(Row r, PixelColumn reader, double val, double test) {
        if (r.isNullAt(0)) {
            // Cannot happen for _metadata ids; an id column may hold nulls.
            return StagedExamples.bad("", "id is null", true, "train", SourceDigest.item("", new byte[0]));
        }
        String id = r.getString(0);
        Integer label = r.isNullAt(1) ? null : r.getInt(1);
        String split = SplitHash.split(id, val, test);
        try {
            float[] px = reader.readExample(r);
            byte[] digest = SourceDigest.item(id, concatBytes(label, PixelColumn.contentBytes(px)));
            return StagedExamples.good(id, label, px, split, digest);
        } catch (BadInputException e) {
            return StagedExamples.bad(id, "pixels " + e.getMessage(), true, split, SourceDigest.item(id, new byte[0]));
        }
    }

    private static byte[] concatBytes(Integer label, byte[] pixels) {
        byte[] out = Arrays.copyOf(pixels, pixels.length + 5);
        if (label != null) {
            out[pixels.length] = 1;
            java.nio.ByteBuffer.wrap(out, pixels.length + 1, 4).putInt(label);
        }
        return out;
    }

    private static StructField field(Dataset<Row> df, String name, String key, Path table) {
        for (StructField f : df.schema().fields()) {
            if (f.name().equals(name)) {
                return f;
            }
        }
        throw new BadInputException(table + ": has no column '" + name + "' (" + key + "); its columns: "
                + String.join(", ", df.schema().fieldNames()));
    }

    private static String firstLine(Throwable e) {
        String m = e instanceof AnalysisException a ? a.getSimpleMessage() : String.valueOf(e.getMessage());
        return m.lines().findFirst().orElse(e.getClass().getSimpleName());
    }
}

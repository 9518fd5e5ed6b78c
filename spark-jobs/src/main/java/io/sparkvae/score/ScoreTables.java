package io.sparkvae.score;

import io.sparkvae.spark.LiteralPaths;
import static org.apache.spark.sql.functions.col;

import io.sparkvae.io.HadoopFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.StructField;

/** Writes the per-file scores: Parquet part files by the executors, and one CSV file in path order. */
public final class ScoreTables {
    private final SparkSession spark;
    private final HadoopFiles files;

    public ScoreTables(SparkSession spark, HadoopFiles files) {
        this.spark = spark;
        this.files = files;
    }

    /** Writes {@code scores} as Parquet into {@code parquet} and returns the table read back from there. */
    public Dataset<Row> parquet(Dataset<Row> scores, Path parquet) {
        scores.write().parquet(parquet.toString());
        return LiteralPaths.read(spark).parquet(parquet.toString());
    }

    /**
     * {@code table} as one CSV file with a header, sorted by path: every array column spread over columns
     * {@code <name>_0, <name>_1, ...} (CSV holds no arrays), every other column as it is.
     */
    public void csv(Dataset<Row> table, Path csv) {
        List<String> arrays = new ArrayList<>();
        for (StructField f : table.schema().fields()) {
            if (f.dataType() instanceof ArrayType) {
                arrays.add(f.name());
            }
        }
        Row first = arrays.isEmpty() ? null : table.select(arrays.stream().map(a -> col(a)).toArray(Column[]::new)).first();
        List<Column> flat = new ArrayList<>();
        for (StructField f : table.schema().fields()) {
            int a = arrays.indexOf(f.name());
            if (a < 0) {
                flat.add(col(f.name()));
                continue;
            }
            int size = first.isNullAt(a) ? 0 : first.getList(a).size();
            for (int i = 0; i < size; i++) {
                flat.add(col(f.name()).getItem(i).as(f.name() + "_" + i));
            }
        }
        Path parts = new Path(csv.getParent(), "." + csv.getName() + ".parts");
        try {
            table.select(flat.toArray(Column[]::new)).repartition(1).sortWithinPartitions(FileScores.PATH).write()
                    .option("header", "true").csv(parts.toString());
            // Listed with a filter, not globbed: the folder's own path may hold '[' or '{'.
            FileStatus[] written = files.fs(parts).listStatus(parts, p -> p.getName().startsWith("part-"));
            if (written == null || written.length != 1) {
                throw new IllegalStateException("expected one CSV part file in " + parts + ", found "
                        + (written == null ? 0 : written.length));
            }
            files.rename(written[0].getPath(), csv);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + parts, e);
        } finally {
            files.deleteQuietly(parts);
        }
    }
}

package io.sparkvae.dataset;

import io.sparkvae.spark.LiteralPaths;
import io.sparkvae.config.JobConfig;
import io.sparkvae.io.BadInputException;
import io.sparkvae.io.HadoopFiles;
import static org.apache.spark.sql.functions.array_compact;
import static org.apache.spark.sql.functions.array_max;
import static org.apache.spark.sql.functions.array_min;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.io.EOFException;
import java.util.Locale;
import org.apache.hadoop.fs.ChecksumException;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.io.ParquetDecodingException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Opens a prepared dataset for the later stages, refusing one that is incomplete or not what the config asks for. */
public final class DatasetReader {
    private final SparkSession spark;
    private final HadoopFiles files;

    public DatasetReader(SparkSession spark, HadoopFiles files) {
        this.spark = spark;
        this.files = files;
    }

    /** Checks {@code _SUCCESS} and that the manifest matches the config's data set and limit. */
    public DatasetManifest open(Path dir, JobConfig.Data expected) {
        return manifest(files, dir, expected);
    }

    /** {@link #open} without a Spark session, for a stage that reads only the manifest (export). */
    public static DatasetManifest manifest(HadoopFiles files, Path dir, JobConfig.Data expected) {
        files.requireComplete(dir, "dataset (run the prepare stage first)");
        DatasetManifest m = DatasetManifest.read(files, dir);
        if (!m.dataset().equals(expected.dataset()) || m.limit() != expected.limit()) {
            throw new BadInputException(dir + ": manifest says dataset " + m.dataset() + " (limit " + m.limit()
                    + ") but the config asks for " + expected.dataset() + " (limit " + expected.limit() + ")");
        }
        return m;
    }

    /** One split's rows; the split must be listed in the manifest and present on disk. */
    public Dataset<Row> split(Path dir, DatasetManifest manifest, String split) {
        DatasetManifest.Split s = manifest.splits().get(split);
        Path p = new Path(dir, split);
        if (s == null || !files.exists(p)) {
            throw new BadInputException(p + ": split '" + split + "' is missing from the dataset");
        }
        if (s.count() == 0) {
            throw new BadInputException(p + ": split '" + split + "' is empty");
        }
        // The schema is given, not inferred: a split folder without any Parquet file then reads as empty (and is
        // refused below, by count) instead of failing in Spark's schema inference.
        Dataset<Row> rows = LiteralPaths.read(spark).schema(ExampleRows.SCHEMA).parquet(p.toString());
        requireIntact(rows, p, split, s.count(), manifest.shape().size());
        return rows;
    }

    /**
     * One pass on the executors: the split holds as many rows as the manifest says, and every example has
     * {@code pixels} values, all in [0,1]. A damaged or foreign dataset (missing part files, NaN pixels, 0-255 values)
     * is refused here, naming the split and its first bad example, instead of being trained on or scored.
     */
    private void requireIntact(Dataset<Row> rows, Path p, String split, int expected, int pixels) {
        Column px = col(ExampleRows.PIXELS);
        // Spark orders NaN above every number, so a NaN pixel makes array_max > 1 true.
        Column bad = px.isNull().or(size(px).notEqual(pixels)).or(size(array_compact(px)).notEqual(size(px)))
                .or(array_min(px).lt(0)).or(array_max(px).gt(1));
        Row r;
        try {
            r = rows.agg(count(lit(1)), min(when(bad, col(ExampleRows.INDEX))), sum(when(bad, 1).otherwise(0))).first();
        } catch (Exception e) { // SparkException (checked) included: Scala throws it undeclared
            BadInputException corrupt = corruptFile(e, p, split);
            throw corrupt != null ? corrupt : DatasetReader.<RuntimeException>unchanged(e);
        }
        long found = r.getLong(0);
        if (found != expected) {
            throw new BadInputException(p + ": split '" + split + "' holds " + found + " rows but its manifest says " + expected);
        }
        if (!r.isNullAt(1)) {
            int index = r.getInt(1);
            Row example = rows.filter(col(ExampleRows.INDEX).equalTo(index)).first();
            throw new BadInputException(String.format(Locale.ROOT, "%s: example %d %s (bad examples in split '%s': %d; pixels"
                    + " must be %d values in [0,1])", p, index, problem(example, pixels), split, r.getLong(2), pixels));
        }
    }

    /**
     * A split's Parquet file that cannot be read (a bit flipped behind the file system's back, cut short, not Parquet)
     * as bad input naming the file: the dataset is damaged and only preparing it again helps. Null for any other
     * failure (e.g. an executor lost).
     */
    private BadInputException corruptFile(Exception e, Path split, String name) {
        String reason = null;
        StringBuilder messages = new StringBuilder();
        for (Throwable c = e; c != null && reason == null; c = c.getCause() == c ? null : c.getCause()) {
            String m = String.valueOf(c.getMessage());
            messages.append(m).append('\n');
            if (c instanceof ChecksumException) {
                reason = "checksum mismatch: changed after it was written";
            } else if (m.contains("is not a Parquet file")) {
                reason = m.contains("magic number at tail") ? "not a Parquet file: no Parquet footer at its end (cut short?)"
                        : "not a Parquet file";
            } else if (c instanceof ParquetDecodingException || c instanceof EOFException) {
                reason = "unreadable Parquet data (" + m.lines().findFirst().orElse("") + ")";
            } else if (m.startsWith("could not read page") || m.startsWith("FAILED_TO_UNCOMPRESS")) {
                // Parquet's page reader and Snappy on damaged bytes where no .crc file was there to say so.
                reason = "unreadable Parquet data (" + (m.startsWith("could not read page") ? "could not read a page of column "
                        + m.replaceAll("(?s).* in col \\[([^\\]]*)\\].*", "$1") : "its compressed bytes do not decompress") + ")";
            }
        }
        if (reason == null) {
            return null;
        }
        String all = messages.toString();
        String file = java.util.Arrays.stream(files.list(split)).map(f -> f.getPath().getName()).filter(all::contains)
                .findFirst().map(f -> new Path(split, f).toString()).orElse(split + " (a Parquet file of split '" + name + "')");
        return new BadInputException(file + ": corrupt dataset file, " + reason + "; prepare the dataset again (prepare --overwrite)", e);
    }

    /** Rethrows {@code e} as it is, checked or not. */
    @SuppressWarnings("unchecked")
    private static <T extends Exception> RuntimeException unchanged(Exception e) throws T {
        throw (T) e;
    }

    /** What is wrong with one example's pixels, in words. */
    private static String problem(Row example, int pixels) {
        int i = example.fieldIndex(ExampleRows.PIXELS);
        if (example.isNullAt(i)) {
            return "has no pixels";
        }
        java.util.List<Object> values = example.getList(i);
        if (values.size() != pixels) {
            return "has " + values.size() + " pixel values";
        }
        for (int j = 0; j < values.size(); j++) {
            Object v = values.get(j);
            if (!(v instanceof Float f) || !(f >= 0 && f <= 1)) {
                return "has pixel " + j + " = " + v;
            }
        }
        return "has bad pixels";
    }
}

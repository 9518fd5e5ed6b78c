package io.sparkvae.dataset;

import io.sparkvae.spark.LiteralPaths;
import io.sparkvae.config.JobConfig;
import io.sparkvae.config.JobConfigLoader;
import io.sparkvae.image.PictureWriter;
import io.sparkvae.image.TileGrid;
import io.sparkvae.io.HadoopFiles;
import io.sparkvae.provenance.Provenance;
import io.sparkvae.spark.JobLabels;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Turns a data set's raw data, in any of the formats ({@code data.format}), into {@code train/ val/ test/} Parquet
 * splits, previews and a manifest, as one atomic commit: everything is written under a temporary sibling and renamed
 * into place, then {@code _SUCCESS}.
 *
 * <p>Single-file formats (IDX sets, sprite sheets) are decoded once on the driver and broadcast; image folders and
 * Parquet tables are read and decoded on the executors ({@link ImageFolderFormat}, {@link ParquetTableFormat}).
 */
public final class DatasetPreparer {
    /** Fewer examples than this per partition (a task and a Parquet file each) cost more than they parallelise. */
    static final int MIN_EXAMPLES_PER_PARTITION = 100;

    /** What {@link #prepare} did. */
    public record Result(Path dir, DatasetManifest manifest) {}

    private final SparkSession spark;
    private final HadoopFiles files;
    private Consumer<String> afterSplitWritten = split -> {};

    public DatasetPreparer(SparkSession spark, HadoopFiles files) {
        this.spark = spark;
        this.files = files;
    }

    /** Test hook: runs after each split's preview is written, before the commit (used to inject failures). */
    DatasetPreparer afterSplitWritten(Consumer<String> hook) {
        this.afterSplitWritten = hook;
        return this;
    }

    /**
     * Prepares a preset ({@code mnist}, {@code punks}) under its own name, as a config naming only the preset would.
     *
     * @param preset the preset's name
     */
    public Result prepare(String preset, Path rawDir, int limit, int partitions, Path target, boolean overwrite, Provenance provenance) {
        JobConfig.Data data = JobConfigLoader.load("data { dataset = " + preset + ", limit = " + limit + ", partitions = " + partitions + " }",
                "preset " + preset, "preset", List.of()).data();
        return prepare(data, rawDir, target, overwrite, provenance);
    }

    /**
     * @param data       the config's data section (format, its settings, limit, partitions)
     * @param rawDir     {@code data.raw}: the folder relative sources are resolved against
     * @param target     the dataset folder to create
     * @param overwrite  replace a complete {@code target} (the caller decides whether to skip one)
     * @param provenance recorded in the manifest and previews
     */
    public Result prepare(JobConfig.Data data, Path rawDir, Path target, boolean overwrite, Provenance provenance) {
        files.mkdirs(target.getParent()); // an unwritable root fails here, naming it, before any work
        // A leftover target without _SUCCESS is debris from a crash: writeStaged replaces it without asking.
        DatasetManifest manifest = files.writeStaged(target, overwrite, tmp -> {
            JobLabels.describe(spark.sparkContext(), "write the " + data.format() + " splits");
            FormatOutput out = switch (data.format()) {
                case "idx", "sprite-sheet" -> new SingleFileFormat(spark, files).write(data, rawDir, tmp);
                case "image-folder" -> new ImageFolderFormat(spark, files).write(data, rawDir, tmp);
                case "parquet" -> new ParquetTableFormat(spark, files).write(data, rawDir, tmp);
                default -> throw new IllegalArgumentException("unknown format " + data.format());
            };
            PictureWriter pictures = new PictureWriter(files);
            for (Map.Entry<String, DatasetManifest.Split> e : out.splits().entrySet()) {
                String split = e.getKey();
                // Read back what was written: the preview shows the stored data, and the count is checked.
                JobLabels.describe(spark.sparkContext(), "check " + split + " split, draw its preview");
                Dataset<Row> stored = LiteralPaths.read(spark).schema(ExampleRows.SCHEMA).parquet(new Path(tmp, split).toString());
                long count = stored.count();
                if (count != e.getValue().count()) {
                    throw new IllegalStateException(split + ": wrote " + count + " rows, expected " + e.getValue().count());
                }
                List<float[]> first = new ArrayList<>();
                for (Row row : stored.orderBy(ExampleRows.INDEX).limit(100).collectAsList()) {
                    first.add(ExampleRows.pixels(row));
                }
                byte[] png = TileGrid.png(TileGrid.compose(first, out.shape(), 10, 10, 1, 0));
                pictures.write(new Path(tmp, "preview-" + split + ".png"), png, Map.of(
                        "shows", "first " + first.size() + " " + split + " examples in index order, row-major",
                        "grid", "10x10", "scale", 1, "first_index", e.getValue().firstIndex()), provenance);
                afterSplitWritten.accept(split);
            }
            Map<String, Object> format = new LinkedHashMap<>(data.formatSettings());
            format.putAll(out.details());
            DatasetManifest written = new DatasetManifest(data.dataset(), format, out.sources(), out.shape(), data.limit(),
                    out.splits(), provenance);
            files.writeString(new Path(tmp, DatasetManifest.FILE), written.toJson());
            return written;
        });
        return new Result(target, manifest);
    }
}

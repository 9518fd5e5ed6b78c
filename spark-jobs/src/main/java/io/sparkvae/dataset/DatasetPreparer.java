package io.sparkvae.dataset;

import io.sparkvae.data.ImageShape;
import io.sparkvae.image.PictureWriter;
import io.sparkvae.image.TileGrid;
import io.sparkvae.io.BadInputException;
import io.sparkvae.io.HadoopFiles;
import io.sparkvae.provenance.Provenance;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Turns a data set's raw files into {@code train/ val/ test/} Parquet splits, previews and a manifest, as one
 * atomic commit: everything is written under a temporary sibling and renamed into place, then {@code _SUCCESS}.
 *
 * <p>The raw bytes are broadcast once and each partition decodes them and cuts its own range of examples, so
 * slicing runs on the executors.
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

    /** Test hook: runs after each split is written, before the commit (used to inject failures). */
    DatasetPreparer afterSplitWritten(Consumer<String> hook) {
        this.afterSplitWritten = hook;
        return this;
    }

    /**
     * @param rawDir     folder holding the raw files as {@code scripts/fetch-data.sh} lays them out
     * @param target     the dataset folder to create
     * @param overwrite  replace a complete {@code target} (the caller decides whether to skip one)
     * @param provenance recorded in the manifest and previews
     */
    public Result prepare(String dataset, Path rawDir, int limit, int partitions, Path target, boolean overwrite,
            Provenance provenance) {
        files.mkdirs(target.getParent()); // an unwritable root fails here, naming it, before any work
        Map<String, byte[]> raw = new LinkedHashMap<>();
        Map<String, String> hashes = new LinkedHashMap<>();
        for (String name : SplitPlan.sourceFiles(dataset)) {
            Path p = files.requireFile(new Path(rawDir, name), "raw data file");
            byte[] bytes = files.readBytes(p);
            raw.put(name, bytes);
            hashes.put(name, DatasetManifest.sha256(bytes));
        }
        // Decode once on the driver too: a corrupt or wrong-sized file fails here, with its name, before any job.
        ExampleSource probe;
        try {
            probe = ExampleSource.decode(dataset, raw);
        } catch (BadInputException e) {
            // The readers name the file as the data set lays it out (mnist/...); users need to know where.
            throw new BadInputException(rawDir + "/" + e.getMessage(), e);
        }
        List<SplitRange> plan = SplitPlan.forDataset(dataset, limit);
        for (SplitRange r : plan) {
            int available = probe.size(r.sourceFile());
            if (r.firstIndex() + r.count() > available) {
                throw new BadInputException(new Path(rawDir, r.sourceFile()) + ": holds " + available + " examples, split " + r.split()
                        + " needs indices " + r.firstIndex() + ".." + (r.firstIndex() + r.count() - 1));
            }
        }
        ImageShape shape = probe.shape();

        // A leftover target without _SUCCESS is debris from a crash: writeStaged replaces it without asking.
        DatasetManifest manifest = files.writeStaged(target, overwrite, tmp -> {
            JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            Broadcast<Map<String, byte[]>> rawBroadcast = jsc.broadcast(raw);
            PictureWriter pictures = new PictureWriter(files);
            Map<String, DatasetManifest.Split> splits = new LinkedHashMap<>();
            for (SplitRange range : plan) {
                Path splitDir = new Path(tmp, range.split());
                List<int[]> chunks = chunks(range, partitions);
                JavaRDD<Row> rows = jsc.parallelize(chunks, Math.max(1, chunks.size()))
                        .mapPartitions(c -> cut(dataset, rawBroadcast.value(), range, c));
                spark.createDataFrame(rows, ExampleRows.SCHEMA).write().parquet(splitDir.toString());

                // Read back what was written: the preview shows the stored data, and the count is checked.
                var stored = spark.read().parquet(splitDir.toString());
                long count = stored.count();
                if (count != range.count()) {
                    throw new IllegalStateException(range.split() + ": wrote " + count + " rows, expected " + range.count());
                }
                List<float[]> first = new ArrayList<>();
                for (Row row : stored.orderBy(ExampleRows.INDEX).limit(100).collectAsList()) {
                    first.add(ExampleRows.pixels(row));
                }
                byte[] png = TileGrid.png(TileGrid.compose(first, shape, 10, 10, 1, 0));
                pictures.write(new Path(tmp, "preview-" + range.split() + ".png"), png, Map.of(
                        "shows", "first " + first.size() + " " + range.split() + " examples in index order, row-major",
                        "grid", "10x10", "scale", 1, "first_index", range.firstIndex()), provenance);
                splits.put(range.split(), new DatasetManifest.Split(range.sourceFile(), range.count(), range.firstIndex()));
                afterSplitWritten.accept(range.split());
            }
            rawBroadcast.destroy();
            DatasetManifest written = new DatasetManifest(dataset, hashes, shape, limit, splits, provenance);
            files.writeString(new Path(tmp, DatasetManifest.FILE), written.toJson());
            return written;
        });
        return new Result(target, manifest);
    }

    /**
     * Splits a range into about {@code partitions} chunks of [from, to) source indices, each of at least
     * {@link #MIN_EXAMPLES_PER_PARTITION} examples: the data bounds the partitions ({@code data.partitions = 100000} on
     * 200 examples makes 2 tasks and Parquet files, not 100000).
     */
    static List<int[]> chunks(SplitRange range, int partitions) {
        List<int[]> out = new ArrayList<>();
        int per = Math.max(MIN_EXAMPLES_PER_PARTITION, (range.count() + partitions - 1) / partitions);
        for (int from = 0; from < range.count(); from += per) {
            out.add(new int[] {range.firstIndex() + from, range.firstIndex() + Math.min(range.count(), from + per)});
        }
        return out;
    }

    private static Iterator<Row> cut(String dataset, Map<String, byte[]> raw, SplitRange range, Iterator<int[]> chunks) {
        ExampleSource source = ExampleSource.decode(dataset, raw);
        List<Row> rows = new ArrayList<>();
        while (chunks.hasNext()) {
            int[] c = chunks.next();
            for (int i = c[0]; i < c[1]; i++) {
                rows.add(ExampleRows.row(i, range.split(), source.label(range.sourceFile(), i), source.pixels(range.sourceFile(), i)));
            }
        }
        return rows.iterator();
    }
}

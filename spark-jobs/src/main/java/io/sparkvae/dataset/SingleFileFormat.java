package io.sparkvae.dataset;

import io.sparkvae.config.JobConfig;
import io.sparkvae.data.Compositing;
import io.sparkvae.data.IdxSet;
import io.sparkvae.data.SpriteGrid;
import io.sparkvae.data.SpriteSheet;
import io.sparkvae.io.BadInputException;
import io.sparkvae.io.HadoopFiles;
import io.sparkvae.spark.TaskProgress;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The formats whose data is one or a few files (IDX sets, sprite sheets): the driver reads and decodes them once
 * (a malformed file fails here, named, before any job), broadcasts the decoded data, and each partition cuts its
 * own chunk of examples on the executors.
 */
final class SingleFileFormat {
    private final SparkSession spark;
    private final HadoopFiles files;

    SingleFileFormat(SparkSession spark, HadoopFiles files) {
        this.spark = spark;
        this.files = files;
    }

    FormatOutput write(JobConfig.Data data, Path rawDir, Path tmp) {
        Map<String, String> hashes = new LinkedHashMap<>();
        ExampleSource source;
        String mainFile;
        String testFile = null;
        if (data.format().equals("idx")) {
            JobConfig.IdxFiles idx = data.idx();
            mainFile = idx.trainImages();
            testFile = idx.testImages().isEmpty() ? null : idx.testImages();
            IdxSet set = IdxSet.read(read(rawDir, idx.trainImages(), hashes), read(rawDir, idx.trainLabels(), hashes),
                    read(rawDir, idx.testImages(), hashes), read(rawDir, idx.testLabels(), hashes), idx.classes());
            source = new ExampleSource.Idx(set, mainFile, testFile);
        } else {
            JobConfig.SpriteSheetFile s = data.spriteSheet();
            mainFile = s.file();
            IdxSet.NamedBytes sheet = read(rawDir, s.file(), hashes);
            SpriteGrid grid = new SpriteGrid(s.tileWidth(), s.tileHeight(), s.columns(), s.count(), s.order().equals("column-major"));
            source = new ExampleSource.Sprites(SpriteSheet.decode(sheet.bytes(), sheet.name(), grid, s.channels(),
                    Compositing.parseColour(s.background())));
        }
        List<SplitRange> plan = data.isPreset() ? SplitPlan.forPreset(data.preset(), data.limit())
                : SplitPlan.hashed(mainFile, source.size(mainFile), testFile, testFile == null ? 0 : source.size(testFile),
                        data.valFraction(), data.testFraction(), data.limit());
        for (SplitRange r : plan) {
            int available = source.size(r.sourceFile());
            if (r.count() == 0) {
                throw new BadInputException(SourcePaths.resolve(files, rawDir, r.sourceFile()) + ": split " + r.split()
                        + " would be empty (" + available + " examples; raise data." + r.split() + "-fraction)");
            }
            if (r.indices()[r.count() - 1] >= available) {
                throw new BadInputException(SourcePaths.resolve(files, rawDir, r.sourceFile()) + ": holds " + available
                        + " examples, split " + r.split() + " needs indices " + r.firstIndex() + ".." + r.indices()[r.count() - 1]);
            }
        }

        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<ExampleSource> decoded = jsc.broadcast(source);
        try {
            Map<String, DatasetManifest.Split> splits = new LinkedHashMap<>();
            for (SplitRange range : plan) {
                List<int[]> parts = chunks(range, data.partitions());
                JavaRDD<Row> rows = TaskProgress.counted(jsc.parallelize(parts, parts.size())
                        .mapPartitions(chunks -> cut(decoded.value(), range, chunks)));
                spark.createDataFrame(rows, ExampleRows.SCHEMA).write().parquet(new Path(tmp, range.split()).toString());
                splits.put(range.split(), new DatasetManifest.Split(range.sourceFile(), range.count(), range.firstIndex()));
            }
            return new FormatOutput(source.shape(), hashes, splits, Map.of());
        } finally {
            decoded.destroy();
        }
    }

    /** A configured file's bytes (null for an unset optional file), its SHA-256 recorded under its configured name. */
    private IdxSet.NamedBytes read(Path rawDir, String file, Map<String, String> hashes) {
        if (file.isEmpty()) {
            return null;
        }
        Path p = files.requireFile(SourcePaths.resolve(files, rawDir, file), "raw data file");
        byte[] bytes = files.readBytes(p);
        hashes.put(file, DatasetManifest.sha256(bytes));
        return new IdxSet.NamedBytes(p.toString(), bytes);
    }

    /**
     * Splits a range's indices into about {@code partitions} chunks of [from, to) positions in {@code indices}, each of
     * at least {@link DatasetPreparer#MIN_EXAMPLES_PER_PARTITION} examples: the data bounds the partitions
     * ({@code data.partitions = 100000} on 200 examples makes 2 tasks and Parquet files, not 100000).
     */
    static List<int[]> chunks(SplitRange range, int partitions) {
        List<int[]> out = new ArrayList<>();
        int per = Math.max(DatasetPreparer.MIN_EXAMPLES_PER_PARTITION, (range.count() + partitions - 1) / partitions);
        for (int from = 0; from < range.count(); from += per) {
            out.add(new int[] {from, Math.min(range.count(), from + per)});
        }
        return out;
    }

    private static Iterator<Row> cut(ExampleSource source, SplitRange range, Iterator<int[]> chunks) {
        List<Row> rows = new ArrayList<>();
        while (chunks.hasNext()) {
            int[] c = chunks.next();
            for (int k = c[0]; k < c[1]; k++) {
                int i = range.indices()[k];
                rows.add(ExampleRows.row(i, range.split(), source.label(range.sourceFile(), i), source.pixels(range.sourceFile(), i), null));
            }
        }
        return rows.iterator();
    }
}

package io.sparkvae.dataset;

import io.sparkvae.spark.LiteralPaths;
import static org.apache.spark.sql.functions.col;

import io.sparkvae.config.JobConfig;
import io.sparkvae.data.Compositing;
import io.sparkvae.data.ImageTarget;
import io.sparkvae.data.Resize;
import io.sparkvae.io.BadInputException;
import io.sparkvae.io.HadoopFiles;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * A folder tree of image files on any Hadoop FileSystem, read through Spark's {@code binaryFile} source: the files are
 * listed, read and decoded on the executors (javax.imageio, then {@link ImageTarget}), never collected on the driver.
 * An example's id is its path below the folder; it decides the example's split ({@link SplitHash}) and index (rank).
 */
final class ImageFolderFormat {
    private final SparkSession spark;
    private final HadoopFiles files;

    ImageFolderFormat(SparkSession spark, HadoopFiles files) {
        this.spark = spark;
        this.files = files;
    }

    FormatOutput write(JobConfig.Data data, Path rawDir, Path tmp) {
        JobConfig.ImageFolder f = data.imageFolder();
        Path root = SourcePaths.resolve(files, rawDir, f.path());
        if (!files.exists(root)) {
            throw new BadInputException("image folder not found: " + root);
        }
        if (!files.isDirectory(root)) {
            throw new BadInputException(root + ": is a file, not an image folder");
        }
        String prefix = files.fs(root).makeQualified(root).toString().replaceAll("/+$", "");
        Dataset<Row> listing = LiteralPaths.read(spark).format("binaryFile").option("pathGlobFilter", f.glob())
                .option("recursiveFileLookup", "true").load(root.toString());
        // On a local disk, links, FIFOs and empty files exist: walk the folder without following links and read only
        // its regular files; every other match of the filter becomes a listed bad item, never a silent omission.
        // (the URI's decoded path: names with '%', '#' or spaces are not valid URIs as they stand)
        LocalFolderWalk.Result walk = isLocal(root) ? LocalFolderWalk.walk(java.nio.file.Path.of(files.fs(root)
                .makeQualified(root).toUri().getPath()), f.glob()) : null;
        if (walk != null) {
            Dataset<Row> readable = spark.createDataset(walk.readable().stream().map(id -> prefix + "/" + id).toList(),
                    Encoders.STRING()).toDF("readable");
            listing = listing.join(functions.broadcast(readable), listing.col("path").equalTo(readable.col("readable")), "left_semi");
        }
        // binaryFile reads no content for a query that does not select it: these look-ups only list.
        if (listing.select("path").isEmpty() && (walk == null || walk.unreadable().isEmpty())) {
            throw new BadInputException(isEmpty(root) ? root + ": image folder is empty"
                    : root + ": no file matches data.image-folder.glob = '" + f.glob() + "' (the folder holds no image files)");
        }
        Map<String, Object> details = new LinkedHashMap<>();
        TreeMap<String, Integer> classes = null;
        if (f.labels().equals("subfolder")) {
            classes = classes(listing, prefix, root);
            details.put("label_table", classes);
        }
        JobConfig.ImageShaping shaping = f.image();
        ImageTarget target = new ImageTarget(shaping.width(), shaping.height(), shaping.channels(), Resize.parse(shaping.resize()),
                Compositing.parseColour(shaping.background()));
        Decoder decoder = new Decoder(prefix, target, classes, data.valFraction(), data.testFraction());
        JavaRDD<Row> staged = fewerTasks(listing.select("path", "content").javaRDD(), data.partitions()).mapPartitions(decoder);
        if (walk != null) {
            staged = withUnreadable(staged, walk, data);
            if (!walk.notFollowed().isEmpty()) {
                details.put("links_not_followed", walk.notFollowed().size());
                details.put("links_not_followed_first", walk.notFollowed().entrySet().stream().limit(20)
                        .map(e -> e.getKey() + ": " + e.getValue()).toList());
            }
        }
        String name = f.path().isEmpty() ? root.toString() : f.path();
        var settings = new HashedTableWriter.Settings(name, id -> root + "/" + id, f.onBadImage().equals("skip"),
                "; data.image-folder.on-bad-image = skip leaves them out", data.partitions(), data.limit());
        return new HashedTableWriter(spark, files).write(staged, target.shape(), tmp, settings, details);
    }

    /**
     * Spark packs small files about 32 to a partition (it counts each as spark.sql.files.openCostInBytes, 4 MB): for
     * many small images that is thousands of tiny tasks. Merging neighbouring partitions (no shuffle) keeps every core
     * busy with far less per-task overhead.
     */
    static JavaRDD<Row> fewerTasks(JavaRDD<Row> files, int partitions) {
        int tasks = Math.max(partitions, 4 * files.context().defaultParallelism());
        return files.getNumPartitions() > tasks ? files.coalesce(tasks) : files;
    }

    private boolean isLocal(Path root) {
        return "file".equals(files.fs(root).getUri().getScheme());
    }

    /** The staged rows plus one bad item per file the filter matched that cannot be read as an image. */
    private JavaRDD<Row> withUnreadable(JavaRDD<Row> staged, LocalFolderWalk.Result walk, JobConfig.Data data) {
        if (walk.unreadable().isEmpty()) {
            return staged;
        }
        List<Row> bad = walk.unreadable().entrySet().stream().map(e -> StagedExamples.bad(e.getKey(), e.getValue(), false,
                SplitHash.split(e.getKey(), data.valFraction(), data.testFraction()), SourceDigest.item(e.getKey(), new byte[0])))
                .toList();
        return staged.union(JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(bad, 1));
    }

    private boolean isEmpty(Path root) {
        try {
            return !files.fs(root).listFiles(root, true).hasNext();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
    }

    /** The class names (first folder level) in sorted order, numbered from 0; a file directly in the root is refused. */
    private static TreeMap<String, Integer> classes(Dataset<Row> listing, String prefix, Path root) {
        List<String> top = listing.select("path").javaRDD().map(r -> classOf(relative(prefix, r.getString(0)))).distinct().collect();
        if (top.contains("")) {
            String loose = listing.select("path").javaRDD().map(r -> relative(prefix, r.getString(0))).filter(id -> classOf(id).isEmpty())
                    .min(java.util.Comparator.naturalOrder());
            throw new BadInputException(root + "/" + loose + ": lies directly in the image folder, but data.image-folder.labels = "
                    + "subfolder takes each image's class from the folder it is in below the root");
        }
        TreeMap<String, Integer> classes = new TreeMap<>();
        new ArrayList<>(top).stream().sorted().forEach(c -> classes.put(c, classes.size()));
        return classes;
    }

    /** The first folder level of an id, or "" for a file directly in the root. */
    static String classOf(String id) {
        int slash = id.indexOf('/');
        return slash < 0 ? "" : id.substring(0, slash);
    }

    /** The path below the folder, '/'-separated: a file's id. */
    static String relative(String prefix, String path) {
        if (path.startsWith(prefix + "/")) {
            return path.substring(prefix.length() + 1);
        }
        // A differently qualified form of the same root (e.g. file:/x vs file:///x): compare the paths alone.
        String p = new Path(path).toUri().getPath();
        String r = new Path(prefix).toUri().getPath().replaceAll("/+$", "");
        if (p.startsWith(r + "/")) {
            return p.substring(r.length() + 1);
        }
        throw new IllegalStateException(path + " is not below " + prefix);
    }

    /** Runs on the executors: one staged row per file. */
    private record Decoder(String prefix, ImageTarget target, TreeMap<String, Integer> classes, double valFraction,
            double testFraction) implements FlatMapFunction<Iterator<Row>, Row>, Serializable {
        @Override
        public Iterator<Row> call(Iterator<Row> files) {
            // Lazily, one file at a time: a partition may hold many thousand small files.
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return files.hasNext();
                }

                @Override
                public Row next() {
                    Row file = files.next();
                    return stage(relative(prefix, file.getString(0)), (byte[]) file.get(1));
                }
            };
        }

        private Row stage(String id, byte[] content) {
            byte[] digest = SourceDigest.item(id, content);
            String split = SplitHash.split(id, valFraction, testFraction);
            ImageFileDecoder.Outcome decoded = new ImageFileDecoder(target).decode(content);
            if (!decoded.ok()) {
                // A wrong size is the config's fault (resize could accept it), not the file's: never skipped.
                return StagedExamples.bad(id, decoded.problem() + (decoded.wrongSize() ? " (data.image-folder.resize = none"
                        + " takes images of that size only; fit, stretch or crop resize them)" : ""), decoded.wrongSize(), split, digest);
            }
            Integer label = classes == null ? null : classes.get(classOf(id));
            return StagedExamples.good(id, label, decoded.pixels(), split, digest);
        }
    }
}

package io.sparkvae.dataset;

import io.sparkvae.spark.LiteralPaths;
import io.sparkvae.io.BadInputException;
import io.sparkvae.io.HadoopFiles;
import io.sparkvae.spark.TaskProgress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Image files named by folders, globs or file paths on any Hadoop FileSystem, read and decoded on the executors by a
 * dataset's rules ({@link ImageFileDecoder}, the code prepare decodes image folders with) without preparing a
 * dataset; bad files are refused or skipped by prepare's {@code on-bad-image} policy ({@link StagedProblems}).
 */
public final class ImageFileInputs {
    /** The decoded table's columns: a file's qualified path and its HWC pixels. */
    public static final String PATH = "path";
    public static final String PIXELS = ExampleRows.PIXELS;

    private final SparkSession spark;
    private final HadoopFiles files;

    public ImageFileInputs(SparkSession spark, HadoopFiles files) {
        this.spark = spark;
        this.files = files;
    }

    /**
     * What was read.
     *
     * @param images       the good files' {@code path} and {@code pixels}, materialised (each file decoded once)
     * @param files        files found
     * @param skipped      files left out as unreadable (with {@code skipBad})
     * @param skippedFirst the first skipped paths, in sorted order
     * @param sourceSha256 {@link SourceDigest#METHOD} over every file found, bad ones included: what was scored
     */
    public record Decoded(Dataset<Row> images, long files, long skipped, List<String> skippedFirst, String sourceSha256) {}

    /**
     * Lists, reads and decodes the files into {@code scratch} (on any file system; the caller deletes it).
     *
     * @param inputs     each a folder (every file below it whose name matches {@code glob}), a Hadoop glob or a file
     * @param what       names the inputs in messages, e.g. {@code score.input}
     * @param skipBad    leave unreadable files out (counted and listed) instead of refusing the first (exit 2)
     * @param policyKey  the setting that decides {@code skipBad}, named in a refusal
     * @param partitions at least this many decoding tasks when there are that many Spark partitions of files
     * @throws BadInputException naming an input that does not exist or matches nothing, or the first bad file
     */
    public Decoded read(List<String> inputs, String glob, ImageFileDecoder decoder, boolean skipBad, String policyKey, String what,
                        Path scratch, int partitions) {
        if (inputs.isEmpty()) {
            throw new BadInputException(what + " names no image files (give a folder, a glob or files)");
        }
        List<String> folders = new ArrayList<>();
        List<String> named = new ArrayList<>();
        List<String> globs = new ArrayList<>();
        for (String input : inputs) {
            Path p = files.path(input);
            if (isGlob(input) && !files.exists(p)) {
                requireMatches(p, input, what);
                globs.add(p.toString());
            } else if (!files.exists(p)) {
                throw new BadInputException(what + " " + p + ": not found");
            } else {
                (files.isDirectory(p) ? folders : named).add(p.toString());
            }
        }
        Dataset<Row> listing = null;
        if (!folders.isEmpty()) {
            listing = LiteralPaths.read(spark).format("binaryFile").option("pathGlobFilter", glob).option("recursiveFileLookup", "true")
                    .load(folders.toArray(String[]::new));
        }
        // Globs are expanded, names (a file called 'set[1].png' too) read as they are.
        for (List<String> paths : List.of(named, globs)) {
            if (!paths.isEmpty()) {
                Dataset<Row> more = (paths == named ? LiteralPaths.read(spark) : spark.read()).format("binaryFile")
                        .load(paths.toArray(String[]::new));
                listing = listing == null ? more : listing.unionByName(more);
            }
        }
        if (inputs.size() > 1) {
            listing = listing.dropDuplicates(PATH); // a file named twice (by a glob, a folder, itself) is read once
        }
        // binaryFile reads no content for a query that does not select it: this look-up only lists.
        if (listing.select(PATH).isEmpty()) {
            throw new BadInputException(what + " " + String.join(", ", folders) + ": no file matches glob '" + glob + "'");
        }
        JavaRDD<Row> staged = ImageFolderFormat.fewerTasks(listing.select(PATH, "content").javaRDD(), partitions)
                .map(file -> stage(file.getString(0), (byte[]) file.get(1), decoder));
        spark.createDataFrame(TaskProgress.counted(staged), StagedExamples.SCHEMA).write().parquet(scratch.toString());
        Dataset<Row> st = LiteralPaths.read(spark).schema(StagedExamples.SCHEMA).parquet(scratch.toString());
        StagedProblems.Outcome checked = StagedProblems.apply(st, what + " " + String.join(", ", inputs), id -> id, skipBad,
                "; " + policyKey + " = skip leaves them out");
        String digest = SourceDigest.sum(st.select(StagedExamples.DIGEST).javaRDD().map(r -> (byte[]) r.get(0)));
        Dataset<Row> good = st.where(st.col(StagedExamples.PROBLEM).isNull())
                .select(st.col(StagedExamples.ID).as(PATH), st.col(StagedExamples.PIXELS).as(PIXELS));
        return new Decoded(good, checked.total(), checked.skipped(), checked.skippedFirst(), digest);
    }

    /** Runs on the executors: one staged row per file; under these rules a wrong size is the file's fault. */
    private static Row stage(String path, byte[] content, ImageFileDecoder decoder) {
        byte[] digest = SourceDigest.item(path, content);
        ImageFileDecoder.Outcome decoded = decoder.decode(content);
        if (!decoded.ok()) {
            return StagedExamples.bad(path, decoded.problem() + (decoded.wrongSize()
                    ? " (the model's dataset takes images of that size only: it was prepared with resize = none)" : ""), false, "", digest);
        }
        return StagedExamples.good(path, null, decoded.pixels(), "", digest);
    }

    private static boolean isGlob(String input) {
        return input.chars().anyMatch(c -> c == '*' || c == '?' || c == '[' || c == '{');
    }

    private void requireMatches(Path glob, String input, String what) {
        FileStatus[] matches;
        try {
            matches = files.fs(glob).globStatus(glob);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + glob, e);
        }
        if (matches == null || matches.length == 0) {
            throw new BadInputException(what + " " + input + ": no file matches this glob");
        }
    }
}

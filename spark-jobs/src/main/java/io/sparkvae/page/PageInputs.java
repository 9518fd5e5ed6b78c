package io.sparkvae.page;

import io.sparkvae.spark.LiteralPaths;
import static org.apache.spark.sql.functions.col;

import com.fasterxml.jackson.databind.JsonNode;
import io.sparkvae.dataset.DatasetManifest;
import io.sparkvae.dataset.ExampleRows;
import io.sparkvae.image.PictureWriter;
import io.sparkvae.io.BadInputException;
import io.sparkvae.io.HadoopFiles;
import io.sparkvae.io.Json;
import io.sparkvae.layout.RunLayout;
import io.sparkvae.model.EpochMetrics;
import io.sparkvae.model.LoadedVae;
import io.sparkvae.provenance.Provenance;
import io.sparkvae.spark.JobLabels;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Reads what a run's page shows from the run's folder, its model and its test split. */
public final class PageInputs {
    /** Test examples the explorer plots (the first by index): their pictures ride along in the page. */
    public static final int SAMPLE = 2000;
    /** Highest -ELBO examples listed from the encode output. */
    public static final int UNUSUAL = 12;

    private final SparkSession spark;
    private final HadoopFiles files;
    private final RunLayout layout;

    public PageInputs(SparkSession spark, HadoopFiles files, RunLayout layout) {
        this.spark = spark;
        this.files = files;
        this.layout = layout;
    }

    /**
     * @param test       the run's test split
     * @param provenance the page's provenance
     */
    public RunPage read(LoadedVae model, DatasetManifest manifest, Dataset<Row> test, Provenance provenance) {
        JobLabels.describe(spark.sparkContext(), "the test split's first " + SAMPLE + " examples, encoded on the driver");
        List<Integer> indices = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        List<float[]> pixels = new ArrayList<>();
        for (Row r : test.orderBy(ExampleRows.INDEX).limit(SAMPLE).collectAsList()) {
            indices.add(ExampleRows.index(r));
            labels.add(ExampleRows.label(r));
            pixels.add(ExampleRows.pixels(r));
        }
        LatentSample sample = LatentSample.encode(model.vae(), manifest.splits().get("test").count(), indices, labels, pixels);
        List<float[]> probes = new ArrayList<>(sample.means().subList(0, Math.min(64, sample.size())));
        probes.add(new float[model.vae().spec().latentSize()]);
        DecoderExport decoder = DecoderExport.of(model.vae(), probes);

        Path log = layout.trainingLog();
        List<EpochMetrics> epochs = files.exists(log) ? EpochMetrics.parse(files.readString(log), log.toString()) : List.of();
        List<PagePicture> pictures = new ArrayList<>(pictures(layout.render().dir(), "render"));
        pictures.addAll(pictures(layout.generate().dir(), "generate"));
        int unlisted = files.isComplete(layout.generate().dir()) && files.isDirectory(layout.generate().images())
                ? (int) Arrays.stream(files.list(layout.generate().images())).filter(s -> s.getPath().getName().endsWith(".png")).count()
                : 0;
        Path encoded = layout.encode().dir();
        List<UnusualExample> unusual = files.isComplete(encoded) ? unusual(encoded, test) : null;
        JsonNode metrics = files.isComplete(layout.eval().dir()) ? json(layout.eval().metrics()) : null;
        return new RunPage(layout.run(), provenance, model.vae().spec(), manifest, metrics, epochs,
                events(), pictures, unlisted, unusual, encoded.toString(), sample, decoder);
    }

    /** The top-level PNGs of a complete stage folder, captioned from their sidecars, at 1x where that loses nothing. */
    private List<PagePicture> pictures(Path dir, String stage) {
        if (!files.isComplete(dir)) {
            return List.of();
        }
        List<PagePicture> out = new ArrayList<>();
        FileStatus[] listing = files.list(dir);
        Arrays.sort(listing, (a, b) -> a.getPath().getName().compareTo(b.getPath().getName()));
        for (FileStatus s : listing) {
            Path png = s.getPath();
            if (!s.isFile() || !png.getName().endsWith(".png")) {
                continue;
            }
            JsonNode sidecar = json(PictureWriter.sidecarOf(png));
            String caption = sidecar != null && sidecar.hasNonNull("shows") ? sidecar.get("shows").asText() : png.getName();
            int scale = sidecar != null ? sidecar.path("scale").asInt(1) : 1;
            out.add(PixelBlocks.shrunk(new PagePicture(stage, png.getName(), caption, files.readBytes(png)), scale));
        }
        return out;
    }

    /** The encode output's highest -ELBO rows, with the test split's pixels when it encoded that split by index. */
    private List<UnusualExample> unusual(Path encoded, Dataset<Row> test) {
        JobLabels.describe(spark.sparkContext(), "the encode output's highest -ELBO examples");
        Dataset<Row> table = LiteralPaths.read(spark).parquet(encoded.toString());
        List<String> columns = List.of(table.columns());
        String key = columns.get(0);
        if (!columns.contains("neg_elbo")) {
            throw new BadInputException(encoded + ": the encode output has no neg_elbo column");
        }
        boolean labelled = columns.contains(ExampleRows.LABEL);
        List<Row> top = table.select(col(key), labelled ? col(ExampleRows.LABEL) : org.apache.spark.sql.functions.lit(null),
                col("neg_elbo")).orderBy(col("neg_elbo").desc(), col(key)).limit(UNUSUAL).collectAsList();
        JsonNode description = json(new Path(encoded, "_encode.json"));
        boolean ofTest = key.equals(ExampleRows.INDEX) && description != null && "test".equals(description.path("split").asText());
        Map<Integer, float[]> pixels = new HashMap<>();
        if (ofTest && !top.isEmpty()) {
            Object[] wanted = top.stream().map(r -> ((Number) r.get(0)).intValue()).toArray();
            for (Row r : test.where(col(ExampleRows.INDEX).isin(wanted)).collectAsList()) {
                pixels.put(ExampleRows.index(r), ExampleRows.pixels(r));
            }
        }
        List<UnusualExample> out = new ArrayList<>();
        for (Row r : top) {
            Object k = r.get(0);
            Integer label = r.isNullAt(1) ? null : ((Number) r.get(1)).intValue();
            float[] p = ofTest ? pixels.get(((Number) k).intValue()) : null;
            out.add(new UnusualExample(key, String.valueOf(k), label, r.isNullAt(2) ? Double.NaN : r.getDouble(2), p));
        }
        return out;
    }

    /** The lines of {@code events.jsonl}, each a JSON object (unreadable lines skipped: the log is appended live). */
    private List<JsonNode> events() {
        Path p = layout.events();
        if (!files.exists(p)) {
            return List.of();
        }
        List<JsonNode> out = new ArrayList<>();
        for (String line : files.readString(p).split("\r?\n")) {
            try {
                JsonNode n = line.isBlank() ? null : Json.mapper().readTree(line);
                if (n != null && n.isObject()) {
                    out.add(n);
                }
            } catch (IOException e) {
                // a line cut by a killed writer: the page shows the others
            }
        }
        return out;
    }

    /** A JSON file, or null when it is missing; one that does not parse is bad input naming it. */
    private JsonNode json(Path p) {
        if (!files.exists(p)) {
            return null;
        }
        try {
            return Json.mapper().readTree(files.readString(p));
        } catch (IOException e) {
            throw new BadInputException(p + ": not JSON (" + e.getMessage().split("\n")[0] + ")");
        }
    }
}

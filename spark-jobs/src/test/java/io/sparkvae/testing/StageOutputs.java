package io.sparkvae.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkvae.io.HadoopFiles;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * Checks of the stage contract's outputs under a root, through Hadoop's FileSystem (so local and hdfs:// alike):
 * markers, manifest, model files, metrics and pictures. Parquet row counts need Spark and are left to the caller.
 */
public final class StageOutputs {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private final HadoopFiles files;
    private final Path root;

    public StageOutputs(HadoopFiles files, Path root) {
        this.files = files;
        this.root = root;
    }

    public Path datasetDir(String folder) {
        return new Path(new Path(root, "datasets"), folder);
    }

    public Path runDir(String run) {
        return new Path(new Path(root, "runs"), run);
    }

    /** prepare: marker, manifest with {@code perSplit} examples in each split, the three preview sheets. */
    public JsonNode assertPrepared(String folder, int perSplit) {
        Path dir = datasetDir(folder);
        assertComplete(dir);
        JsonNode manifest = json(new Path(dir, "manifest.json"));
        for (String split : List.of("train", "val", "test")) {
            assertEquals(perSplit, manifest.path("splits").path(split).path("count").asInt(-1), "manifest count of " + split);
            assertTrue(files.isDirectory(new Path(dir, split)), "split folder " + split);
            assertPng(new Path(dir, "preview-" + split + ".png"));
        }
        return manifest;
    }

    /** train: marker, non-empty model files, one finite metrics line per epoch. */
    public void assertTrained(String run, int epochs) {
        Path model = new Path(runDir(run), "model");
        assertComplete(model);
        List<FileStatus> modelFiles = Arrays.stream(files.list(model))
                .filter(s -> s.isFile() && !s.getPath().getName().startsWith(".") && !s.getPath().getName().startsWith("_"))
                .toList();
        assertFalse(modelFiles.isEmpty(), "no model files in " + model);
        for (FileStatus s : modelFiles) {
            assertTrue(s.getLen() > 0, "empty model file " + s.getPath());
        }
        List<String> lines = files.readString(new Path(runDir(run), "metrics.jsonl")).lines().filter(l -> !l.isBlank()).toList();
        assertEquals(epochs, lines.size(), "metrics.jsonl lines");
        for (String line : lines) {
            JsonNode m = parse(line);
            assertTrue(m.has("epoch"), "metrics line without epoch: " + line);
            m.fields().forEachRemaining(e -> {
                if (e.getValue().isNumber()) {
                    assertTrue(Double.isFinite(e.getValue().asDouble()), e.getKey() + " not finite: " + line);
                }
            });
        }
    }

    /** evaluate: marker, metrics.json naming {@code examples} examples and finite scores, the per-example table. */
    public JsonNode assertEvaluated(String run, int examples) {
        Path eval = new Path(runDir(run), "eval");
        assertComplete(eval);
        JsonNode m = json(new Path(eval, "metrics.json"));
        assertEquals(examples, m.path("examples").asInt(-1), "evaluated examples");
        for (String k : List.of("test_neg_elbo", "test_log_likelihood_is")) {
            assertTrue(m.path(k).isNumber() && Double.isFinite(m.path(k).asDouble()), k + " in " + m);
        }
        assertTrue(m.path("test_neg_elbo").asDouble() > 0, "-ELBO must be positive: " + m);
        assertTrue(files.exists(new Path(eval, "per_example.parquet")), "per_example.parquet");
        return m;
    }

    /** encode: marker, the description naming {@code rows} rows, Parquet part files (row counts need Spark). */
    public JsonNode assertEncoded(String run, String name, int rows) {
        Path dir = new Path(new Path(runDir(run), "encode"), name);
        assertComplete(dir);
        JsonNode d = json(new Path(dir, "_encode.json"));
        assertEquals(rows, d.path("rows").asInt(-1), "encoded rows");
        assertTrue(d.path("mean_neg_elbo").isNumber() && d.path("mean_neg_elbo").asDouble() > 0, "mean -ELBO in " + d);
        assertFalse(listFiles(dir, ".parquet").isEmpty(), "no Parquet files in " + dir);
        return d;
    }

    /** generate: marker, samples.parquet and the grid picture. */
    public void assertGenerated(String run) {
        Path dir = new Path(runDir(run), "generate");
        assertComplete(dir);
        assertTrue(files.isDirectory(new Path(dir, "samples.parquet")), "samples.parquet in " + dir);
        assertPng(new Path(dir, "samples.png"));
    }

    /** export: marker, both ONNX graphs (non-empty) and model.json with the run's model identity and image shape. */
    public JsonNode assertExported(String run) {
        Path dir = new Path(runDir(run), "export");
        assertComplete(dir);
        for (String graph : List.of("encoder.onnx", "decoder.onnx")) {
            assertTrue(files.exists(new Path(dir, graph)) && files.readBytes(new Path(dir, graph)).length > 0, graph + " in " + dir);
        }
        JsonNode d = json(new Path(dir, "model.json"));
        assertEquals(json(new Path(new Path(runDir(run), "model"), "provenance.json")).path("modelSha256").asText(),
                d.path("provenance").path("modelSha256").asText(), "the export names the run's model");
        assertTrue(d.path("image").path("height").asInt() > 0, "image shape in " + d);
        return d;
    }

    /** render: marker and at least one PNG, every one decodable. */
    public List<Path> assertRendered(String run) {
        Path render = new Path(runDir(run), "render");
        assertComplete(render);
        List<Path> pngs = listFiles(render, ".png");
        assertFalse(pngs.isEmpty(), "no pictures in " + render);
        pngs.forEach(this::assertPng);
        return pngs;
    }

    /** No temporary siblings ({@code .x.tmp-*}, {@code .x.old-*}) left anywhere under the root. */
    public void assertNoLeftovers() {
        List<Path> left = new ArrayList<>();
        try {
            RemoteIterator<LocatedFileStatus> it = files.fs(root).listFiles(root, true);
            while (it.hasNext()) {
                Path p = it.next().getPath();
                for (Path q = p; q != null && !q.equals(root); q = q.getParent()) {
                    if (q.getName().matches("\\..*\\.(tmp|old)-.*")) {
                        left.add(p);
                        break;
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertTrue(left.isEmpty(), "temporary outputs left behind: " + left);
    }

    public long successTime(Path dir) {
        try {
            return files.fs(dir).getFileStatus(new Path(dir, HadoopFiles.SUCCESS)).getModificationTime();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void assertComplete(Path dir) {
        assertTrue(files.isComplete(dir), "no _SUCCESS in " + dir);
    }

    public void assertPng(Path p) {
        byte[] bytes = files.readBytes(p);
        assertTrue(bytes.length > PNG_MAGIC.length, "empty picture " + p);
        assertArrayEquals(PNG_MAGIC, Arrays.copyOf(bytes, PNG_MAGIC.length), "not a PNG: " + p);
        try {
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(bytes));
            assertNotNull(img, "undecodable PNG " + p);
            assertTrue(img.getWidth() > 0 && img.getHeight() > 0, "empty image " + p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot decode " + p, e);
        }
    }

    public List<Path> listFiles(Path dir, String suffix) {
        List<Path> out = new ArrayList<>();
        try {
            RemoteIterator<LocatedFileStatus> it = files.fs(dir).listFiles(dir, true);
            while (it.hasNext()) {
                Path p = it.next().getPath();
                if (p.getName().endsWith(suffix)) {
                    out.add(p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.sort(null);
        return out;
    }

    public JsonNode json(Path p) {
        assertTrue(files.exists(p), "missing " + p);
        return parse(files.readString(p));
    }

    private static JsonNode parse(String s) {
        try {
            return JSON.readTree(s);
        } catch (IOException e) {
            throw new UncheckedIOException("bad JSON: " + s, e);
        }
    }
}

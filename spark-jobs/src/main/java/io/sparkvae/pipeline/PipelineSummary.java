package io.sparkvae.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkvae.io.HadoopFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/** What a finished pipeline reports: the evaluation's headline numbers and where the pictures are. */
public final class PipelineSummary {
    private PipelineSummary() {}

    public static final String METRICS_FILE = "metrics.json";

    /** The top-level numbers and strings of {@code eval/metrics.json} (nested records such as provenance left out). */
    public static List<String> metrics(HadoopFiles files, Path evalDir) {
        Path p = new Path(evalDir, METRICS_FILE);
        List<String> lines = new ArrayList<>();
        if (!files.exists(p)) {
            return lines;
        }
        try {
            JsonNode root = new ObjectMapper().readTree(files.readString(p));
            for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getValue().isValueNode() && !e.getValue().isNull()) {
                    lines.add(e.getKey() + " = " + e.getValue().asText());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse " + p, e);
        }
        return lines;
    }

    /** Every PNG under {@code dir}, sorted. */
    public static List<Path> pictures(HadoopFiles files, Path dir) {
        List<Path> out = new ArrayList<>();
        if (!files.exists(dir)) {
            return out;
        }
        try {
            RemoteIterator<LocatedFileStatus> it = files.fs(dir).listFiles(dir, true);
            while (it.hasNext()) {
                Path p = it.next().getPath();
                if (p.getName().endsWith(".png")) {
                    out.add(p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        out.sort(null);
        return out;
    }

    /** A local path for file: URIs (what a user can open), the full URI otherwise. */
    public static String display(Path p) {
        String scheme = p.toUri().getScheme();
        return scheme == null || scheme.equals("file") ? p.toUri().getPath() : p.toString();
    }
}

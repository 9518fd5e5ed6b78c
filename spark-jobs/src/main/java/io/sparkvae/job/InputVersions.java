package io.sparkvae.job;

import com.fasterxml.jackson.databind.JsonNode;
import io.sparkvae.dataset.DatasetManifest;
import io.sparkvae.io.HadoopFiles;
import io.sparkvae.io.Json;
import io.sparkvae.layout.RunLayout;
import io.sparkvae.layout.StageDescriptor;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.Path;

/**
 * Which versions of its inputs a stage's output was made from, against the inputs there now. Every output records
 * the identities of what it read in its provenance ({@code datasetSha256}: the dataset's content hash; {@code
 * modelSha256}: the model's); comparing them with the current inputs tells an output made from what is there now
 * from a <em>stale</em> one, whatever the files' time stamps say.
 *
 * <p>Which inputs a stage reads is its {@link StageDescriptor}'s to say; prepare reads raw files only (their hashes are
 * in its manifest) and is never stale by this test.
 */
public final class InputVersions {
    private InputVersions() {}

    /** What a stage read, as identities (null: not read, or unknown). */
    public record Read(String dataset, String model) {}

    /**
     * Why the complete output of {@code stage} is stale: a sentence naming the input that changed since it was made,
     * or null when its inputs are the ones it recorded, or when that cannot be told (an input missing or incomplete,
     * an output recorded before identities were recorded).
     */
    public static String staleness(HadoopFiles files, RunLayout layout, StageDescriptor stage) {
        String unreadable = unreadableRecord(files, layout, stage);
        if (unreadable != null) {
            return unreadable;
        }
        Read recorded = recorded(files, layout, stage);
        return recorded == null ? null : changes(files, layout, stage, recorded, false);
    }

    /**
     * Why {@code read} (what a run of {@code stage} read when it started) no longer names its current inputs, or null.
     *
     * @param goneCounts whether an input that is now missing or incomplete counts as changed (when about to commit,
     *                   it does: it is being replaced)
     */
    public static String changes(HadoopFiles files, RunLayout layout, StageDescriptor stage, Read read, boolean goneCounts) {
        List<String> reasons = new ArrayList<>();
        if (stage.reads(StageDescriptor.Input.DATASET) && read.dataset() != null) {
            Path dir = layout.dataset().dir();
            DatasetManifest now = files.isComplete(dir) ? manifest(files, dir) : null;
            if (now == null) {
                if (goneCounts) {
                    reasons.add("its dataset " + dir + " was removed or is being replaced");
                }
            } else if (!now.isIdentifiedBy(read.dataset())) {
                reasons.add("its dataset " + dir + " changed (made from " + shortHash(read.dataset()) + ", now "
                        + shortHash(now.hash()) + ")");
            }
        }
        if (stage.reads(StageDescriptor.Input.MODEL) && read.model() != null) {
            Path dir = layout.model();
            String now = files.isComplete(dir) ? modelIdentity(files, layout) : null;
            if (now == null) {
                if (goneCounts && !files.isComplete(dir)) {
                    reasons.add("its model " + dir + " was removed or is being replaced");
                }
            } else if (!now.equals(read.model())) {
                reasons.add("its model " + dir + " changed (made from " + shortHash(read.model()) + ", now " + shortHash(now) + ")");
            }
        }
        return reasons.isEmpty() ? null : String.join("; ", reasons);
    }

    /**
     * Why the record of {@code stage}'s complete output ({@link RunLayout#provenanceRecord}) cannot be read, or null:
     * an output whose record is missing, cut short or not JSON is not a usable output, so it counts as out of date.
     */
    public static String unreadableRecord(HadoopFiles files, RunLayout layout, StageDescriptor stage) {
        if (!files.isComplete(layout.output(stage))) {
            return null;
        }
        Path record = layout.provenanceRecord(stage);
        try {
            if (!files.exists(record)) {
                return "its record " + record + " is missing";
            }
            if (stage == StageDescriptor.PREPARE) {
                DatasetManifest.read(files, layout.dataset().dir());
            } else {
                Json.mapper().readTree(files.readBytes(record));
            }
            return null;
        } catch (java.io.IOException | RuntimeException e) {
            return "its record " + record + " cannot be read (" + firstLine(e.getMessage()) + ")";
        }
    }

    private static String firstLine(String message) {
        return message == null ? "unreadable" : message.lines().findFirst().orElse("unreadable");
    }

    /** The identities the complete output of {@code stage} recorded, or null when it has none (or is unreadable). */
    static Read recorded(HadoopFiles files, RunLayout layout, StageDescriptor stage) {
        if (stage == StageDescriptor.PREPARE || !files.isComplete(layout.output(stage))) {
            return null;
        }
        JsonNode provenance = provenance(files, layout.provenanceRecord(stage));
        return provenance == null ? null : new Read(text(provenance, "datasetSha256"), text(provenance, "modelSha256"));
    }

    /** The model's recorded identity, or null (a model saved before identities were recorded). */
    private static String modelIdentity(HadoopFiles files, RunLayout layout) {
        JsonNode p = provenance(files, layout.provenanceRecord(StageDescriptor.TRAIN));
        return p == null ? null : text(p, "modelSha256");
    }

    /** The provenance object of a JSON record: its {@code provenance} field, or the record itself. */
    private static JsonNode provenance(HadoopFiles files, Path record) {
        try {
            if (!files.exists(record)) {
                return null;
            }
            JsonNode node = Json.mapper().readTree(files.readBytes(record));
            return node.has("provenance") ? node.get("provenance") : node;
        } catch (java.io.IOException | RuntimeException e) {
            return null; // an unreadable record says nothing about versions; its reader reports it
        }
    }

    private static DatasetManifest manifest(HadoopFiles files, Path dir) {
        try {
            return DatasetManifest.read(files, dir);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    static String shortHash(String hash) {
        return hash.length() > 12 ? hash.substring(0, 12) + "..." : hash;
    }
}

package io.sparkvae.ml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkvae.io.BadInputException;
import io.sparkvae.io.HadoopFiles;
import io.sparkvae.io.Json;
import io.sparkvae.model.EpochMetrics;
import io.sparkvae.model.LoadedVae;
import io.sparkvae.model.VaeStore;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWriter;

/**
 * {@link VaeModel}'s folder: exactly the model folder the train stage writes ({@code model.zip}, {@code spec.json},
 * {@code provenance.json}, {@code _SUCCESS} last, see {@code model.VaeStore}), plus its parameters in Spark ML's
 * {@code metadata/part-00000} format (with the training summary, when the model has one), so a {@code PipelineModel}
 * holding a VaeModel saves and loads too. Writing is
 * atomic (a temporary sibling renamed into place): an older model at the same place survives a failed save.
 */
final class VaeModelIo {
    static final String METADATA = "metadata";
    /** The training summary's key in the metadata (Spark ML itself saves none; a model fitted here keeps its own). */
    private static final String SUMMARY = "trainingSummary";
    private static final String METADATA_FILE = "part-00000";

    private VaeModelIo() {}

    static Path metadataFile(Path dir) {
        return new Path(new Path(dir, METADATA), METADATA_FILE);
    }

    /** Writes a VaeModel folder. */
    static final class Writer extends MLWriter {
        private final VaeModel model;

        Writer(VaeModel model) {
            this.model = model;
        }

        /** Writes the whole folder into a temporary sibling and renames it into place, {@code _SUCCESS} last. */
        @Override
        public void save(String path) throws IOException {
            HadoopFiles files = VaeModel.files();
            Path target = files.path(path);
            if (files.exists(target) && !shouldOverwrite()) {
                throw new IOException("Path " + path + " already exists. To overwrite it, use write().overwrite().save(path)");
            }
            Path staged = files.temporarySibling(target);
            try {
                saveInto(files, staged);
                files.commitDirectory(staged, target, true);
            } catch (RuntimeException e) {
                files.deleteQuietly(staged);
                throw e;
            }
        }

        @Override
        public void saveImpl(String path) {
            HadoopFiles files = VaeModel.files();
            saveInto(files, files.path(path));
        }

        private void saveInto(HadoopFiles files, Path dir) {
            LoadedVae loaded = model.loaded();
            VaeStore.save(loaded.vae(), loaded.provenance(), dir, files);
            Map<Boolean, Map<String, String>> params = model.encodedParams();
            ObjectNode m = Json.mapper().createObjectNode();
            m.put("class", VaeModel.class.getName());
            m.put("timestamp", System.currentTimeMillis());
            m.put("sparkVersion", org.apache.spark.package$.MODULE$.SPARK_VERSION());
            m.put("uid", model.uid());
            m.set("paramMap", encoded(params.get(true)));
            m.set("defaultParamMap", encoded(params.get(false)));
            if (model.hasSummary()) {
                m.set(SUMMARY, summary(model.summary()));
            }
            files.writeString(metadataFile(dir), m.toString() + "\n");
        }

        /** The summary as {@code {"keptEpoch": n, "epochs": [...]}}, each epoch a line of the training log. */
        private static ObjectNode summary(VaeTrainingSummary summary) {
            ObjectNode node = Json.mapper().createObjectNode();
            node.put("keptEpoch", summary.keptEpoch());
            var epochs = node.putArray("epochs");
            for (EpochMetrics e : summary.epochs()) {
                epochs.add(Json.mapper().valueToTree(e));
            }
            return node;
        }

        private static ObjectNode encoded(Map<String, String> params) {
            ObjectNode node = Json.mapper().createObjectNode();
            params.forEach((name, json) -> {
                try {
                    node.set(name, Json.mapper().readTree(json));
                } catch (IOException e) {
                    throw new IllegalStateException("parameter " + name + " encodes as " + json, e);
                }
            });
            return node;
        }
    }

    /** Reads a VaeModel folder, or a run's model folder (no metadata: default parameters). */
    static final class Reader extends MLReader<VaeModel> {
        @Override
        public VaeModel load(String path) {
            HadoopFiles files = VaeModel.files();
            Path dir = files.path(path);
            LoadedVae loaded = VaeStore.load(dir, files);
            Path meta = metadataFile(dir);
            if (!files.exists(meta)) {
                return new VaeModel(loaded);
            }
            JsonNode m;
            try {
                m = Json.mapper().readTree(files.readString(meta));
            } catch (IOException e) {
                throw new BadInputException(meta + ": not Spark ML metadata (" + e.getMessage() + ")");
            }
            String cls = m.path("class").asText();
            if (!cls.equals(VaeModel.class.getName())) {
                throw new BadInputException(meta + ": holds a " + cls + ", not a " + VaeModel.class.getName());
            }
            Map<String, String> params = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = m.path("paramMap").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                params.put(e.getKey(), e.getValue().toString());
            }
            VaeModel model = new VaeModel(m.path("uid").asText(), loaded);
            try {
                if (m.has(SUMMARY)) {
                    model.setSummary(summary(m.get(SUMMARY), meta));
                }
                return model.applyEncodedParams(params);
            } catch (RuntimeException e) {
                throw new BadInputException(meta + ": " + e.getMessage(), e);
            }
        }
    }

    /** The summary {@link Writer} wrote, its epochs read by the training log's reader. */
    private static VaeTrainingSummary summary(JsonNode node, Path meta) {
        StringBuilder lines = new StringBuilder();
        node.path("epochs").forEach(e -> lines.append(e.toString()).append('\n'));
        return new VaeTrainingSummary(EpochMetrics.parse(lines.toString(), meta + " " + SUMMARY), node.path("keptEpoch").asInt());
    }
}

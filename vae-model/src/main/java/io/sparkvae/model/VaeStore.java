package io.sparkvae.model;

import io.sparkvae.io.BadInputException;
import io.sparkvae.io.HadoopFiles;
import io.sparkvae.io.Json;
import io.sparkvae.provenance.Provenance;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;

/**
 * Saves and loads a {@link Vae} as a directory on any Hadoop FileSystem: {@value #MODEL} (DL4J's zip: configuration,
 * parameters and updater state), {@value #SPEC} (the {@link VaeSpec}, for humans and other tools) and
 * {@value #PROVENANCE}. Loading requires the directory's {@code _SUCCESS} marker, so a half-written model is never read.
 */
public final class VaeStore {

    public static final String MODEL = "model.zip";
    public static final String SPEC = "spec.json";
    public static final String PROVENANCE = "provenance.json";

    private VaeStore() {
    }

    /** Writes the three files into {@code dir} (created if needed); committing the directory is the caller's job. */
    public static void save(Vae vae, Provenance provenance, Path dir, HadoopFiles files) {
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try {
            ModelSerializer.writeModel(vae.network(), zip, true);
            files.writeBytes(new Path(dir, MODEL), zip.toByteArray());
            files.writeString(new Path(dir, SPEC), Json.mapper().writeValueAsString(vae.spec().toMap()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save model to " + dir, e);
        }
        files.writeString(new Path(dir, PROVENANCE), provenance.toJson());
    }

    /** Saves into a fresh temporary sibling of {@code target}, then commits it there atomically (with {@code _SUCCESS}). */
    public static void saveCommitted(Vae vae, Provenance provenance, Path target, HadoopFiles files, boolean overwrite) {
        if (!overwrite && files.exists(target)) {
            throw new BadInputException("output already exists (use --overwrite to replace it): " + target);
        }
        Path tmp = files.temporarySibling(target);
        try {
            save(vae, provenance, tmp, files);
            files.commitDirectory(tmp, target, overwrite);
        } catch (RuntimeException e) {
            files.deleteQuietly(tmp);
            throw e;
        }
    }

    /** Loads a committed model directory; refuses one without {@code _SUCCESS} or with unreadable files. */
    public static LoadedVae load(Path dir, HadoopFiles files) {
        files.requireComplete(dir, "model directory");
        Path modelPath = files.requireFile(new Path(dir, MODEL), "model file");
        MultiLayerNetwork net;
        try {
            byte[] bytes = files.readBytes(modelPath);
            net = ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(bytes), true);
        } catch (IOException | RuntimeException e) {
            throw new BadInputException("corrupt model file " + modelPath + ": " + e.getMessage(), e);
        }
        Vae vae;
        try {
            vae = Vae.wrap(net);
        } catch (BadInputException e) {
            throw new BadInputException(modelPath + ": " + e.getMessage(), e);
        }
        Path specPath = files.requireFile(new Path(dir, SPEC), "model spec");
        VaeSpec spec;
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = Json.mapper().readValue(files.readString(specPath), Map.class);
            spec = VaeSpec.fromMap(m);
        } catch (IOException e) {
            throw new BadInputException("corrupt model spec " + specPath + ": " + e.getMessage(), e);
        }
        if (!spec.equals(vae.spec())) {
            throw new BadInputException("model spec " + specPath + " does not match the network in " + modelPath + ": "
                    + spec + " vs " + vae.spec());
        }
        Path provenancePath = files.requireFile(new Path(dir, PROVENANCE), "model provenance");
        Provenance provenance;
        try {
            provenance = Provenance.fromJson(new String(files.readBytes(provenancePath), StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            throw new BadInputException("corrupt model provenance " + provenancePath + ": " + e.getMessage(), e);
        }
        return new LoadedVae(vae, provenance);
    }
}

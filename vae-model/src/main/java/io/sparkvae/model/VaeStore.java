package io.sparkvae.model;

import io.sparkvae.io.BadInputException;
import io.sparkvae.io.HadoopFiles;
import io.sparkvae.io.Json;
import io.sparkvae.provenance.Provenance;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Saves and loads a {@link Vae} as a directory on any Hadoop FileSystem: {@value #MODEL} (DL4J's zip: configuration,
 * parameters and updater state), {@value #SPEC} (the {@link VaeSpec}, for humans and other tools) and
 * {@value #PROVENANCE}, which records the model's identity ({@link #identity}). Loading requires the directory's
 * {@code _SUCCESS} marker, so a half-written model is never read.
 */
public final class VaeStore {

    public static final String MODEL = "model.zip";
    public static final String SPEC = "spec.json";
    public static final String PROVENANCE = "provenance.json";
    private static final int MAX_SPEC_BYTES = 1 << 16;
    private static final int MAX_PROVENANCE_BYTES = 1 << 22;

    private VaeStore() {
    }

    /**
     * The model's identity: SHA-256 of its spec, parameters and optimiser state, nothing else (no time stamps), so
     * the same training gives the same identity and outputs made from it stay current.
     */
    public static String identity(Vae vae) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(Json.mapper().writeValueAsBytes(vae.spec().toMap()));
            digest(sha, vae.network().params());
            var updater = vae.network().getUpdater(false);
            digest(sha, updater == null ? null : updater.getStateViewArray());
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException | IOException e) {
            throw new IllegalStateException("cannot hash the model", e);
        }
    }

    private static void digest(MessageDigest sha, INDArray values) {
        if (values == null) {
            sha.update((byte) 0);
            return;
        }
        float[] v = values.dup('c').data().asFloat();
        ByteBuffer buf = ByteBuffer.allocate(8192).order(ByteOrder.LITTLE_ENDIAN);
        sha.update(ByteBuffer.allocate(8).putLong(v.length).array());
        for (float f : v) {
            if (!buf.hasRemaining()) {
                sha.update(buf.array(), 0, buf.position());
                buf.clear();
            }
            buf.putFloat(f);
        }
        sha.update(buf.array(), 0, buf.position());
    }

    /**
     * Writes the three files into {@code dir} (created if needed); committing the directory is the caller's job. The
     * provenance written records the model's {@link #identity}.
     */
    public static void save(Vae vae, Provenance provenance, Path dir, HadoopFiles files) {
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try {
            ModelFile.write(vae.network(), true, zip);
            files.writeBytes(new Path(dir, MODEL), zip.toByteArray());
            files.writeString(new Path(dir, SPEC), Json.mapper().writeValueAsString(vae.spec().toMap()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save model to " + dir, e);
        }
        files.writeString(new Path(dir, PROVENANCE), provenance.withModelSha256(identity(vae)).toJson());
    }

    /** Saves into a fresh temporary sibling of {@code target}, then commits it there atomically (with {@code _SUCCESS}). */
    public static void saveCommitted(Vae vae, Provenance provenance, Path target, HadoopFiles files, boolean overwrite) {
        if (!overwrite && files.exists(target)) {
            throw new BadInputException("output already exists (use --overwrite to replace it): " + target);
        }
        files.writeStaged(target, overwrite, tmp -> {
            save(vae, provenance, tmp, files);
            return null;
        });
    }

    /**
     * Loads a committed model directory; refuses one without {@code _SUCCESS} or with unreadable files. The model file
     * is read as data only ({@link ModelFile}): its spec first, which bounds what the zip may inflate to, and with
     * Java deserialization refused on this thread throughout ({@link DeserializationGuard}).
     */
    public static LoadedVae load(Path dir, HadoopFiles files) {
        files.requireComplete(dir, "model directory");
        Path specPath = files.requireFile(new Path(dir, SPEC), "model spec");
        VaeSpec spec = readSpec(specPath, files);
        Path modelPath = files.requireFile(new Path(dir, MODEL), "model file");
        Vae vae = DeserializationGuard.refusingJavaObjects(() -> {
            try {
                return ModelFile.read(modelPath, spec, files);
            } catch (BadInputException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new BadInputException("corrupt model file " + modelPath + ": " + e.getMessage(), e);
            }
        });
        Path provenancePath = files.requireFile(new Path(dir, PROVENANCE), "model provenance");
        Provenance provenance;
        try {
            provenance = Provenance.fromJson(new String(readBounded(provenancePath, MAX_PROVENANCE_BYTES, files), StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            throw new BadInputException("corrupt model provenance " + provenancePath + ": " + e.getMessage(), e);
        }
        if (provenance.modelSha256() == null) {
            provenance = provenance.withModelSha256(identity(vae)); // saved before models recorded their identity
        }
        return new LoadedVae(vae, provenance);
    }

    /** The file's bytes, refused unread when it is larger than {@code max} (a record file, never that big). */
    private static byte[] readBounded(Path p, int max, HadoopFiles files) {
        long size = ModelFile.length(p, files);
        if (size > max) {
            throw new BadInputException(size + " bytes, more than such a file takes (" + max + ")");
        }
        return files.readBytes(p);
    }

    private static VaeSpec readSpec(Path specPath, HadoopFiles files) {
        try {
            byte[] json = readBounded(specPath, MAX_SPEC_BYTES, files);
            @SuppressWarnings("unchecked")
            Map<String, Object> m = Json.mapper().readValue(json, Map.class);
            VaeSpec spec = VaeSpec.fromMap(m);
            ModelFile.requireLoadable(spec);
            return spec;
        } catch (IOException | BadInputException e) {
            throw new BadInputException("corrupt model spec " + specPath + ": " + e.getMessage(), e);
        }
    }
}

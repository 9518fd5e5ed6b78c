package io.sparkvae.onnx;

import io.sparkvae.io.BadInputException;
import io.sparkvae.io.HadoopFiles;
import io.sparkvae.io.Json;
import io.sparkvae.model.Vae;
import io.sparkvae.model.VaeWeights;
import io.sparkvae.provenance.Provenance;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.Path;

/**
 * Writes a VAE for use outside this project: {@value #ENCODER} and {@value #DECODER} (ONNX, see {@link VaeOnnx}) and
 * {@value #DESCRIPTION}, which says what the graphs take and give, what the pixel vectors are as images, the model's
 * architecture and the provenance every output of the project records. Both graphs carry the identities in their
 * metadata too, so a copied file still says which model it is.
 */
public final class OnnxExport {
    public static final String ENCODER = "encoder.onnx";
    public static final String DECODER = "decoder.onnx";
    public static final String DESCRIPTION = "model.json";
    /** What the graphs compute, and what stays on the JVM (model.json says it to whoever reads the export). */
    static final String COVERS = "encoder.onnx computes q(z|x) (latent_mean, latent_log_var) and decoder.onnx the "
            + "Bernoulli means of p(x|z), as the JVM model does; sampling z, the -ELBO, the importance-sampled "
            + "log-likelihood and the anomaly scores are not in the graphs (compute them from these outputs, or use the "
            + "project's own scoring)";

    private OnnxExport() {}

    /**
     * Writes the three files into {@code dir} (created if needed); committing the folder is the caller's job.
     *
     * @param provenance what the export is made from; its {@code modelSha256} names the model
     * @return the contents of {@value #DESCRIPTION}
     */
    public static Map<String, Object> write(Vae vae, ImageLayout image, Provenance provenance, Path dir, HadoopFiles files) {
        if (image.shape() != null && image.shape().size() != vae.spec().inputSize()) {
            throw new BadInputException("the model takes " + vae.spec().inputSize() + " inputs, not images of "
                    + image.shape().height() + "x" + image.shape().width() + "x" + image.shape().channels());
        }
        VaeWeights weights = VaeWeights.of(vae);
        Map<String, String> metadata = metadata(provenance);
        files.writeBytes(new Path(dir, ENCODER), VaeOnnx.encoder(weights, provenance.gitCommit(), metadata).toByteArray());
        files.writeBytes(new Path(dir, DECODER), VaeOnnx.decoder(weights, provenance.gitCommit(), metadata).toByteArray());
        Map<String, Object> description = describe(vae, image, provenance);
        files.writeString(new Path(dir, DESCRIPTION), Json.write(description));
        return description;
    }

    /**
     * Writes the files into a temporary sibling of {@code target} and commits it there ({@code _SUCCESS} last).
     *
     * @param overwrite replace a complete export at {@code target}; without it one is refused (bad input naming it)
     */
    public static Map<String, Object> writeCommitted(Vae vae, ImageLayout image, Provenance provenance, Path target,
                                                     HadoopFiles files, boolean overwrite) {
        if (!overwrite && files.isComplete(target)) {
            throw new BadInputException("output already exists (overwrite to replace it): " + target);
        }
        return files.writeStaged(target, overwrite, dir -> write(vae, image, provenance, dir, files));
    }

    private static Map<String, String> metadata(Provenance p) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("pixel_order", ImageLayout.PIXEL_ORDER);
        putIfKnown(m, "run", p.run());
        putIfKnown(m, "model_sha256", p.modelSha256());
        putIfKnown(m, "dataset_sha256", p.datasetSha256());
        putIfKnown(m, "git_commit", p.gitCommit());
        m.put("seed", Long.toString(p.seed()));
        return m;
    }

    private static void putIfKnown(Map<String, String> m, String key, String value) {
        if (value != null) {
            m.put(key, value);
        }
    }

    private static Map<String, Object> describe(Vae vae, ImageLayout image, Provenance provenance) {
        int d = vae.spec().inputSize();
        int nz = vae.spec().latentSize();
        Map<String, Object> imageInfo = new LinkedHashMap<>();
        imageInfo.put("height", image.shape() == null ? null : image.shape().height());
        imageInfo.put("width", image.shape() == null ? null : image.shape().width());
        imageInfo.put("channels", image.shape() == null ? null : image.shape().channels());
        imageInfo.put("background", image.background());
        imageInfo.put("pixel_order", ImageLayout.PIXEL_ORDER);
        imageInfo.put("values", d);
        imageInfo.put("value_range", List.of(0, 1));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", "onnx");
        m.put("ir_version", OnnxGraph.IR_VERSION);
        m.put("opset", OnnxGraph.OPSET);
        m.put("encoder", graph(ENCODER, Map.of(VaeOnnx.PIXELS, d), ordered(VaeOnnx.LATENT_MEAN, nz, VaeOnnx.LATENT_LOG_VAR, nz)));
        m.put("decoder", graph(DECODER, Map.of(VaeOnnx.Z, nz), Map.of(VaeOnnx.DECODED, d)));
        m.put("image", imageInfo);
        m.put("latent_size", nz);
        m.put("covers", COVERS);
        m.put("model", vae.spec().toMap());
        m.put("provenance", provenance);
        return m;
    }

    private static Map<String, Integer> ordered(String a, int aColumns, String b, int bColumns) {
        Map<String, Integer> m = new LinkedHashMap<>();
        m.put(a, aColumns);
        m.put(b, bColumns);
        return m;
    }

    /** A graph's file and its inputs' and outputs' shapes, {@code ["N", columns]} (N: the batch, any size). */
    private static Map<String, Object> graph(String file, Map<String, Integer> inputs, Map<String, Integer> outputs) {
        Map<String, Object> g = new LinkedHashMap<>();
        g.put("file", file);
        g.put("inputs", shapes(inputs));
        g.put("outputs", shapes(outputs));
        return g;
    }

    private static Map<String, Object> shapes(Map<String, Integer> columns) {
        Map<String, Object> m = new LinkedHashMap<>();
        columns.forEach((name, c) -> m.put(name, List.of(OnnxGraph.BATCH, c)));
        return m;
    }
}

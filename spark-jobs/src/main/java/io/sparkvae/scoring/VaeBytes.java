package io.sparkvae.scoring;

import io.sparkvae.model.Vae;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import org.deeplearning4j.util.ModelSerializer;

/**
 * A VAE's parameters and configuration as bytes (DL4J's model zip, no updater state): what the stages broadcast.
 *
 * <p>Executors get bytes rather than a shared {@link Vae} because a Vae is not thread-safe and, in local mode,
 * every task thread would see the very same broadcast object; each task restores its own copy instead.
 */
public final class VaeBytes implements Serializable {
    private static final long serialVersionUID = 1L;

    private final byte[] zip;

    private VaeBytes(byte[] zip) {
        this.zip = zip;
    }

    public static VaeBytes of(Vae vae) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ModelSerializer.writeModel(vae.network(), out, false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialise the model", e);
        }
        return new VaeBytes(out.toByteArray());
    }

    /** A fresh, private copy of the model. */
    public Vae restore() {
        try {
            return Vae.wrap(ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(zip), false));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot restore the broadcast model", e);
        }
    }
}

package io.sparkvae.scoring;

import io.sparkvae.model.FloatBytes;
import io.sparkvae.model.Vae;
import io.sparkvae.model.VaeSpec;
import java.io.Serializable;

/**
 * A VAE as its spec and its parameters' bytes (no optimiser state): what the stages broadcast.
 *
 * <p>Executors get bytes rather than a shared {@link Vae} because a Vae is not thread-safe and, in local mode,
 * every task thread would see the very same broadcast object; each task restores its own copy instead. Not DL4J's
 * model zip: deflating it and parsing its configuration back cost about 0.3 s each for a punks model, once for every
 * task of every validation, which ran after every epoch; the spec rebuilds the same network directly.
 */
public final class VaeBytes implements Serializable {
    private static final long serialVersionUID = 2L;

    private final VaeSpec spec;
    private final byte[] parameters;

    private VaeBytes(VaeSpec spec, byte[] parameters) {
        this.spec = spec;
        this.parameters = parameters;
    }

    public static VaeBytes of(Vae vae) {
        return new VaeBytes(vae.spec(), FloatBytes.of(vae.network().params(), "the model's parameters"));
    }

    /** A fresh, private copy of the model. */
    public Vae restore() {
        return Vae.withParameters(spec, FloatBytes.row(parameters));
    }
}

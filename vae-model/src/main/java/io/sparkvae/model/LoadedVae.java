package io.sparkvae.model;

import io.sparkvae.provenance.Provenance;

/**
 * A VAE read back from a committed model directory, with the provenance it was saved with.
 *
 * @param vae        the model, updater state included (training can continue)
 * @param provenance what produced it
 */
public record LoadedVae(Vae vae, Provenance provenance) {
}

package io.sparkvae.render;

import java.io.Serializable;

/**
 * A test example's posterior mean in a 2-D latent space.
 *
 * @param index source index
 * @param label MNIST digit, or null
 * @param z1    first coordinate of E[z|x]
 * @param z2    second coordinate of E[z|x]
 */
public record LatentPoint(int index, Integer label, double z1, double z2) implements Serializable {
}

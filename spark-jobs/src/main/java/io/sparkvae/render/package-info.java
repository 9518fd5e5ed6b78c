/**
 * Pictures of a trained run: reconstructions, the 2-D latent manifold, prior samples, the latent scatter and the
 * training curve. Pure layout and chart building live here apart from the Spark reads, so each is tested on its own.
 */
package io.sparkvae.render;

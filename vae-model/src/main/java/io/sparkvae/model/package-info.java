/**
 * The VAE of Kingma &amp; Welling (2014) as one DL4J output layer: model, objective, inference, trainer and
 * persistence. Knows nothing about Spark; the Spark stages train {@link io.sparkvae.model.Vae#network()}
 * with parameter averaging across executors and use {@link io.sparkvae.model.Vae} for everything else.
 */
package io.sparkvae.model;

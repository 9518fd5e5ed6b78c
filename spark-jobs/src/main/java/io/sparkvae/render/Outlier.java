package io.sparkvae.render;

import io.sparkvae.scoring.Example;

/**
 * A test example the model finds unusual, with its score.
 *
 * @param example  the example
 * @param negElbo  its -ELBO in nats (the evaluate stage's number for it)
 */
public record Outlier(Example example, double negElbo) {
}

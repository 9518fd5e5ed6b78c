package io.sparkvae.render;

import io.sparkvae.model.AnomalyScore;
import io.sparkvae.scoring.Example;

/**
 * A test example the model finds unusual, with its score.
 *
 * @param example the example
 * @param score   which anomaly score ranked it
 * @param value   its score (for the -ELBO, the evaluate stage's number for it), in nats
 */
public record Outlier(Example example, AnomalyScore score, double value) {
}

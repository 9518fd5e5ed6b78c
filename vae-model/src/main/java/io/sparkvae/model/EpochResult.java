package io.sparkvae.model;

/**
 * One training epoch's outcome.
 *
 * @param epoch           1-based epoch number
 * @param trainNegElbo    mean of the epoch's minibatch scores (-ELBO, nats per image, 1 eps sample each)
 * @param valNegElbo      mean -ELBO over all validation images (1 eps sample), NaN without validation data
 * @param seconds         wall time of the epoch's training steps (validation excluded)
 * @param imagesPerSecond training images per second over the epoch
 */
public record EpochResult(int epoch, double trainNegElbo, double valNegElbo, double seconds, double imagesPerSecond) {
}

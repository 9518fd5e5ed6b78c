package io.sparkvae.page;

/**
 * A test example the model finds unusual: its key in the encode output (the key column's name and the value), label,
 * -ELBO and pixels (null when they are not at hand, e.g. an encoding of another table).
 */
public record UnusualExample(String keyColumn, String key, Integer label, double negElbo, float[] pixels) {}

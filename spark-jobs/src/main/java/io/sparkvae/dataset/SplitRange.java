package io.sparkvae.dataset;

import java.io.Serializable;

/**
 * One split's examples: {@code count} consecutive source indices from {@code firstIndex} of one source file.
 *
 * @param split      train, val or test
 * @param sourceFile which raw file (relative to the data set's raw folder) the examples come from
 */
public record SplitRange(String split, String sourceFile, int firstIndex, int count) implements Serializable {}

package io.sparkvae.scoring;

import java.io.Serializable;

/**
 * One example as shipped between executors: its source index, label (null when the data set has none) and pixels.
 *
 * @param index  source index (unique within a split)
 * @param label  MNIST digit, or null
 * @param pixels HWC values in [0, 1]
 */
public record Example(int index, Integer label, float[] pixels) implements Serializable {
}

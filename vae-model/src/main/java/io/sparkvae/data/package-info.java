/**
 * Spark-free readers that turn raw data-set bytes into float images: IDX files (gzip too), image decoding of every
 * format {@code javax.imageio} reads, compositing and Java2D scaling to a target shape, and sprite-sheet slicing.
 */
package io.sparkvae.data;

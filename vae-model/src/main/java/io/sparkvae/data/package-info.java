/** Spark-free readers that turn raw data-set bytes (MNIST IDX files, the CryptoPunks sheet) into float images. */
package io.sparkvae.data;

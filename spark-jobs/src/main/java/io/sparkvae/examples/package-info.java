/**
 * Runnable examples of the library as users call it: the VAE as a Spark ML {@code Pipeline} stage.
 */
package io.sparkvae.examples;

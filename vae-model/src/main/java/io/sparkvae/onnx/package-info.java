/**
 * The model outside the JVM: a VAE's encoder and decoder written as ONNX graphs with {@code model.json}, from Java
 * (ONNX's schema compiled for protobuf-java, no native code). Knows nothing about Spark.
 */
package io.sparkvae.onnx;

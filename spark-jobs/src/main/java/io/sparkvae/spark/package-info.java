/**
 * Spark set-up shared by every stage: sessions created the same way under {@code scripts/vae}, spark-submit and
 * tests ({@link io.sparkvae.spark.SparkSessionFactory}), and ND4J's native threads sized to the cores a task owns
 * ({@link io.sparkvae.spark.TaskThreads}).
 */
package io.sparkvae.spark;

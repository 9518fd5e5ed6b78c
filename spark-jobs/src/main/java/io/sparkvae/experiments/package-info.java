/**
 * {@code vae experiment}: named sweeps of job configs ({@code conf/experiments/<name>.conf}) run through the real
 * pipeline in one Spark application, their outputs collected into {@code <root>/experiments/<name>/results.json}.
 */
package io.sparkvae.experiments;

/** Reliability suites: the bad-input catalogue, reruns and concurrent runs (docs/RELIABILITY.md). */
package io.sparkvae.reliability;

/** Job configuration: HOCON files validated against the defaults, with command-line overrides. */
package io.sparkvae.config;

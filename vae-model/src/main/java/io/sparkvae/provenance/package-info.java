/** Provenance: what made a model, metrics file or picture (config, seed, data, code), so it can be reproduced. */
package io.sparkvae.provenance;

/** The project's one image writer: tiles laid out as grids, charts, PNG bytes and their sidecar JSON. */
package io.sparkvae.image;

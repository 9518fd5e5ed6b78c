/** The pipeline's stages as thin command-line entry points over the library packages. */
package io.sparkvae.stages;

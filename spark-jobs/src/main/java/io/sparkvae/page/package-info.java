/** The run's page: one self-contained HTML file with its numbers, curves, pictures and a latent explorer. */
package io.sparkvae.page;

package io.sparkvae.page;

import com.fasterxml.jackson.databind.JsonNode;
import io.sparkvae.dataset.DatasetManifest;
import io.sparkvae.model.EpochMetrics;
import io.sparkvae.model.VaeSpec;
import io.sparkvae.provenance.Provenance;
import java.util.List;

/**
 * Everything one run's page shows, read from the run's files and model.
 *
 * @param provenance      the page's own (config, seed, dataset and model identities, commit)
 * @param evalMetrics     {@code eval/metrics.json}, or null when the run has not been evaluated
 * @param epochs          {@code metrics.jsonl} (empty without one)
 * @param events          the lines of {@code events.jsonl} (empty without one)
 * @param pictures        the PNGs of render/ and generate/ in that order
 * @param unlistedImages  pictures in subfolders (generate's one-per-sample images) that are counted, not shown
 * @param unusual         the encode output's highest -ELBO examples, or null without an encode output
 * @param unusualSource   the encode output folder
 */
public record RunPage(String run, Provenance provenance, VaeSpec spec, DatasetManifest manifest, JsonNode evalMetrics,
                      List<EpochMetrics> epochs, List<JsonNode> events, List<PagePicture> pictures, int unlistedImages,
                      List<UnusualExample> unusual, String unusualSource, LatentSample sample, DecoderExport decoder) {}

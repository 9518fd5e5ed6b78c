package io.sparkvae.dataset;

import io.sparkvae.data.ImageShape;
import java.util.Map;

/**
 * What a format wrote into the temporary dataset folder ({@code train/ val/ test/}), for the manifest.
 *
 * @param sources source (as configured) to the SHA-256 of its content (for folders and tables: see {@link SourceDigest})
 * @param splits  split name to its count and first index
 * @param details what else the manifest records about reading (label table, skipped files, source digest method)
 */
public record FormatOutput(ImageShape shape, Map<String, String> sources, Map<String, DatasetManifest.Split> splits,
        Map<String, Object> details) {}

package io.sparkvae.config;

import java.util.List;
import org.apache.commons.text.similarity.LevenshteinDistance;

/** The "did you mean" of an unknown config key: the known key a typo away from it, if there is one. */
final class KeySuggestion {
    private KeySuggestion() {}

    /** {@code ; did you mean 'train.epochs'?} for a key a typo away from one of {@code known}, else nothing. */
    static String forKey(String unknown, List<JobConfigLoader.KeyDoc> known) {
        LevenshteinDistance distance = LevenshteinDistance.getDefaultInstance();
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (JobConfigLoader.KeyDoc key : known) {
            int d = distance.apply(unknown, key.key());
            if (d < bestDistance) {
                best = key.key();
                bestDistance = d;
            }
        }
        return best != null && bestDistance <= Math.max(2, unknown.length() / 4) ? "; did you mean '" + best + "'?" : "";
    }
}

package io.sparkvae.train;

import io.sparkvae.config.JobConfig;
import io.sparkvae.model.EpochMetrics;
import java.util.List;

/**
 * Tracks the best validation -ELBO of a training and says when to stop ({@link JobConfig.EarlyStopping}). Rebuilt from
 * the history on every call, so a resumed training judges exactly as the uninterrupted one would have.
 */
record EarlyStop(JobConfig.EarlyStopping rule) {

    /** The epoch whose model a training with this history keeps: the best one under the rule, or the last when off. */
    int bestEpoch(List<EpochMetrics> history) {
        if (history.isEmpty()) {
            return 0;
        }
        if (!rule.enabled()) {
            return history.get(history.size() - 1).epoch();
        }
        EpochMetrics best = history.get(0);
        for (EpochMetrics m : history) {
            if (m.valNegElbo() < best.valNegElbo() - rule.minDelta()) {
                best = m;
            }
        }
        return best.epoch();
    }

    /** Whether training should end after the last epoch of {@code history}. */
    boolean stopAfter(List<EpochMetrics> history) {
        return rule.enabled() && !history.isEmpty()
                && history.get(history.size() - 1).epoch() - bestEpoch(history) >= rule.patience();
    }
}

package io.sparkvae.experiments;

import java.util.List;

/**
 * How long the runner's {@code vae pipeline} call for one run took, written to
 * {@code <root>/experiments/<name>/timings/<run>.json} as soon as it returns (so a resumed sweep keeps earlier runs').
 *
 * @param seconds    wall time of the call
 * @param stagesRun  the stages whose output was not complete before the call
 * @param resumed    train continued from a checkpoint of an interrupted earlier call (so {@code seconds} is partial)
 * @param master     the Spark master asked for, or null for the default
 */
public record RunTiming(String run, double seconds, List<String> stagesRun, boolean resumed, String master, String finishedAt) {

    /** True when the call trained, evaluated and rendered the run from scratch (prepare may have been done before). */
    public boolean whole() {
        return !resumed && stagesRun.containsAll(List.of("train", "evaluate", "render"));
    }
}

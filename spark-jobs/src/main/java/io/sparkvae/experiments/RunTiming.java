package io.sparkvae.experiments;

import io.sparkvae.layout.StageDescriptor;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * One {@code vae pipeline} call the runner made for a run, appended to
 * {@code <root>/experiments/<name>/timings/<run>.jsonl} as soon as it returns (so a resumed or partly rerun sweep keeps
 * the earlier calls' times).
 *
 * @param seconds    wall time of the call
 * @param stagesRun  the stages whose output was not complete before the call
 * @param resumed    train continued from a checkpoint of an interrupted earlier call (whose time was lost)
 * @param master     the Spark master asked for, or null for the default
 */
public record RunTiming(String run, double seconds, @JsonProperty("stages_run") List<String> stagesRun, boolean resumed,
                        String master, @JsonProperty("finished_at") String finishedAt) {

    /** True when the call trained, evaluated and rendered the run from scratch (prepare may have been done before). */
    public boolean whole() {
        return !resumed && stagesRun.containsAll(List.of(StageDescriptor.TRAIN.commandName(), StageDescriptor.EVALUATE.commandName(),
                StageDescriptor.RENDER.commandName()));
    }
}

package io.sparkvae.stages;

import io.sparkvae.job.Stage;
import io.sparkvae.layout.StageDescriptor;
import java.util.LinkedHashMap;
import java.util.Map;

/** The class that implements each {@link StageDescriptor}; the switch is exhaustive, so a new stage must be added here. */
public final class StageCatalog {
    private StageCatalog() {}

    /**
     * The stages {@code vae pipeline} runs, in order.
     *
     * @param resumeTraining whether train continues from its newest checkpoint ({@code train --resume})
     */
    public static Map<StageDescriptor, Stage> pipeline(boolean resumeTraining) {
        Map<StageDescriptor, Stage> stages = new LinkedHashMap<>();
        for (StageDescriptor stage : StageDescriptor.pipeline()) {
            stages.put(stage, stage(stage, resumeTraining));
        }
        return stages;
    }

    /**
     * The implementation of {@code stage}.
     *
     * @param resumeTraining whether train continues from its newest checkpoint (other stages ignore it)
     */
    public static Stage stage(StageDescriptor stage, boolean resumeTraining) {
        return switch (stage) {
            case PREPARE -> new PrepareStage();
            case TRAIN -> new TrainStage(resumeTraining);
            case EVALUATE -> new EvaluateStage();
            case ENCODE -> new EncodeStage();
            case RENDER -> new RenderStage();
            case GENERATE -> new GenerateStage();
            case EXPORT -> new ExportStage();
            case PAGE -> new PageStage();
            case SCORE -> new ScoreStage();
        };
    }
}

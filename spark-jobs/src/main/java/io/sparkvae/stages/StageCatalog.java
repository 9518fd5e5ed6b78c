package io.sparkvae.stages;

import io.sparkvae.job.Stage;
import io.sparkvae.layout.RunLayout;
import java.util.LinkedHashMap;
import java.util.Map;

/** Every stage of the pipeline by name, in the order {@link RunLayout#STAGES} runs them. */
public final class StageCatalog {
    private StageCatalog() {}

    /**
     * @param resumeTraining whether train continues from its newest checkpoint ({@code train --resume})
     */
    public static Map<String, Stage> pipeline(boolean resumeTraining) {
        Map<String, Stage> stages = new LinkedHashMap<>();
        for (String name : RunLayout.STAGES) {
            stages.put(name, stage(name, resumeTraining));
        }
        return stages;
    }

    private static Stage stage(String name, boolean resumeTraining) {
        return switch (name) {
            case PrepareStage.NAME -> new PrepareStage();
            case TrainStage.NAME -> new TrainStage(resumeTraining);
            case EvaluateStage.NAME -> new EvaluateStage();
            case EncodeStage.NAME -> new EncodeStage();
            case RenderStage.NAME -> new RenderStage();
            case GenerateStage.NAME -> new GenerateStage();
            case PageStage.NAME -> new PageStage();
            default -> throw new IllegalStateException("no stage implements " + name);
        };
    }
}

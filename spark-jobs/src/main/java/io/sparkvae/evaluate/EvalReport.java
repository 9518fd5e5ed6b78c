package io.sparkvae.evaluate;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.sparkvae.io.BadInputException;
import io.sparkvae.io.HadoopFiles;
import io.sparkvae.io.Json;
import io.sparkvae.model.LoadedVae;
import io.sparkvae.provenance.Provenance;
import io.sparkvae.scoring.ScoringSettings;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.fs.Path;

/**
 * The content of {@code eval/metrics.json}, its one writer and reader: the test-set means (nats per image), how they
 * were estimated, the model that was scored and provenance.
 *
 * @param modelDir        the scored model's folder
 * @param modelProvenance what made that model
 */
public record EvalReport(
        int examples,
        @JsonProperty("test_neg_elbo") double testNegElbo,
        @JsonProperty("test_reconstruction_bce") double testReconstructionBce,
        @JsonProperty("test_kl") double testKl,
        @JsonProperty("test_log_likelihood_is") double testLogLikelihoodIs,
        @JsonProperty("is_minus_elbo") double isMinusElbo,
        String split,
        @JsonProperty("elbo_samples") int elboSamples,
        @JsonProperty("is_samples") int isSamples,
        @JsonProperty("batch_size") int batchSize,
        long seed,
        Map<String, Object> model,
        @JsonProperty("model_dir") String modelDir,
        @JsonProperty("model_provenance") Provenance modelProvenance,
        Provenance provenance) {

    /** The report of {@code metrics} estimated with {@code settings} for {@code model} (read from {@code modelDir}). */
    public static EvalReport of(EvalMetrics metrics, ScoringSettings settings, LoadedVae model, Path modelDir,
                                Provenance provenance) {
        return new EvalReport(metrics.examples(), metrics.negElbo(), metrics.reconstruction(), metrics.kl(),
                metrics.logLikelihoodIs(), metrics.isGap(), "test", settings.elboSamples(), settings.isSamples(),
                settings.blockSize(), settings.seed(), model.vae().spec().toMap(), modelDir.toString(), model.provenance(),
                provenance);
    }

    public String toJson() {
        return Json.write(this);
    }

    /** Reads {@code file}; one that is not an evaluation report is bad input naming it. */
    public static EvalReport read(HadoopFiles files, Path file) {
        try {
            return Json.mapper().readValue(files.readString(files.requireFile(file, "evaluation metrics")), EvalReport.class);
        } catch (JsonProcessingException e) {
            throw new BadInputException(file + ": not an evaluation report (" + e.getOriginalMessage() + ")");
        }
    }

    /** The headline numbers, by their keys in the file, as a finished pipeline prints them. */
    public Map<String, Object> headline() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("examples", examples);
        m.put("test_neg_elbo", testNegElbo);
        m.put("test_reconstruction_bce", testReconstructionBce);
        m.put("test_kl", testKl);
        m.put("test_log_likelihood_is", testLogLikelihoodIs);
        m.put("is_minus_elbo", isMinusElbo);
        m.put("is_samples", isSamples);
        return m;
    }
}

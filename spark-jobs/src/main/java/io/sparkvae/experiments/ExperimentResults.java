package io.sparkvae.experiments;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.sparkvae.evaluate.CheckpointCurve;
import io.sparkvae.evaluate.EvalReport;
import io.sparkvae.io.BadInputException;
import io.sparkvae.io.Json;
import io.sparkvae.model.EpochMetrics;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * {@code <root>/experiments/<name>/results.json}: a sweep's runs with everything the report needs, collected from
 * the pipeline's own outputs (the report reads nothing else).
 *
 * @param command     the command that ran the sweep (listed in the report's "how to regenerate")
 * @param sets        overrides applied to every run (the sweep file's, then the command line's)
 * @param master      the Spark master asked for, or null for the default ({@code local[*]} outside spark-submit)
 * @param machine     the machine that collected the results (and ran the runs, unless they came from elsewhere)
 * @param gitCommit   the code that collected them
 */
public record ExperimentResults(String experiment, String file, String description, String command, List<String> sets, String root,
                                String master, Machine machine, String gitCommit, String collectedAt, List<RunResult> runs) {

    private static final ObjectMapper JSON = Json.mapper().copy().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    /**
     * One run's results.
     *
     * @param overrides     the {@code --set} pairs its pipeline ran with
     * @param config        its resolved job config
     * @param trainExamples size of the training split it was trained on
     * @param examplesSeen  epochs x trainExamples
     * @param training      its {@code metrics.jsonl}
     * @param curve         its {@code eval/curve.jsonl} (empty when evaluate.curve was off)
     * @param eval          its {@code eval/metrics.json} (test -ELBO, IS log p(x), K, model spec, provenance)
     * @param trainSeconds  the sum of the epochs' seconds in {@code metrics.jsonl}
     * @param timings       the runner's pipeline calls that did work for it, oldest first (none when it was complete
     *                      before the runner first saw it)
     * @param pictures      picture kind ({@code reconstructions}, {@code manifold}) to its file under {@code pictures/}
     */
    public record RunResult(String name, String label, String group, String dataset, String base, List<String> overrides,
                            Map<String, Object> config, long trainExamples, int epochs, long examplesSeen,
                            List<EpochMetrics> training, List<CheckpointCurve.Point> curve, EvalReport eval,
                            double trainSeconds, List<RunTiming> timings, Map<String, String> pictures) {

        /** Wall time of all the runner's calls for this run. */
        public double wallSeconds() {
            return timings.stream().mapToDouble(RunTiming::seconds).sum();
        }

        /** True when one call did the whole run, so {@link #wallSeconds()} covers all of it. */
        public boolean wallTimedWhole() {
            return timings.stream().anyMatch(RunTiming::whole);
        }

        /** Final test -ELBO (nats per image). */
        public double testNegElbo() {
            return eval.testNegElbo();
        }

        /** Final importance-sampled test log p(x). */
        public double testLogLikelihood() {
            return eval.testLogLikelihoodIs();
        }

        public int isSamples() {
            return eval.isSamples();
        }

        /** A config value by dotted key ({@code model.hidden}), or null. */
        public Object setting(String dottedKey) {
            Object node = config;
            for (String part : dottedKey.split("\\.")) {
                if (!(node instanceof Map<?, ?> m)) {
                    return null;
                }
                node = m.get(part);
            }
            return node;
        }
    }

    /** This record, or any of its parts, as this file's JSON. */
    public static String toJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses a results file; anything else is bad input naming {@code origin}. */
    public static ExperimentResults parse(String json, String origin) {
        return read(json, ExperimentResults.class, origin);
    }

    private static <T> T read(String json, Class<T> type, String origin) {
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new BadInputException(origin + ": not a " + type.getSimpleName() + " file (" + e.getOriginalMessage() + ")");
        }
    }
}

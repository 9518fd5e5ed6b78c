package io.sparkvae.report;

import io.sparkvae.evaluate.CheckpointCurve;
import io.sparkvae.experiments.ExperimentResults;
import io.sparkvae.experiments.ExperimentResults.RunResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The reference implementation's two claims, judged from the sweeps' numbers. Runs are compared only within one experiment and only when
 * their configs differ in nothing but the factors the claim is about, so every comparison is like for like.
 */
public final class ClaimVerdicts {
    /** Final-value differences below this many nats count as no clear difference (one seed per config; not measured noise). */
    public static final double TIE_NATS = 1.0;

    public static final String CLAIM_SPEED = "ReLU with Adam trains faster than the paper's tanh with Adagrad";
    public static final String CLAIM_DEPTH = "For a 2-D latent space, a deeper encoder/decoder (one more hidden layer) does better than a wider one";

    private ClaimVerdicts() {}

    /** How one comparison bears on a claim. */
    public enum Outcome { SUPPORTS, CONTRADICTS, NO_CLEAR_DIFFERENCE }

    /** What the comparisons say together. */
    public enum Status {
        SUPPORTED("supported"), CONTRADICTED("contradicted"), MIXED("mixed"), NO_CLEAR_DIFFERENCE("no clear difference"),
        NOT_TESTED("not tested by these results");

        public final String text;

        Status(String text) {
            this.text = text;
        }
    }

    /**
     * One like-for-like comparison.
     *
     * @param claimed  the run the claim favours (ReLU+Adam; the deeper network)
     * @param other    the run it is compared with
     * @param evidence the numbers, in one sentence
     */
    public record Comparison(String experiment, String dataset, String claimed, String other, Outcome outcome, String evidence) {}

    /** A claim's verdict, its one-paragraph summary and the comparisons behind it. */
    public record Verdict(String claim, Status status, String summary, List<Comparison> comparisons) {}

    /**
     * Claim 1. Pairs: a ReLU+Adam run and a tanh+Adagrad run that differ only in activation, optimiser, step size and
     * initialisation. "Faster": fewer training examples to reach the test -ELBO that the worse of the two ends at
     * (read off each run's test curve, one point per epoch); the same epoch is no clear difference.
     */
    public static Verdict reluAdamFaster(List<ExperimentResults> experiments) {
        List<Comparison> out = new ArrayList<>();
        Set<String> factors = Set.of("model.activation", "model.init", "train.optimizer", "train.learning-rate");
        for (ExperimentResults e : experiments) {
            for (List<RunResult> group : likeForLike(e.runs(), factors)) {
                for (RunResult a : group) {
                    if (!is(a, "relu", "adam") || a.curve().isEmpty()) {
                        continue;
                    }
                    for (RunResult b : group) {
                        if (is(b, "tanh", "adagrad") && !b.curve().isEmpty()) {
                            out.add(speed(e.experiment(), a, b));
                        }
                    }
                }
            }
        }
        return verdict(CLAIM_SPEED, out);
    }

    /**
     * Claim 2. Pairs: two runs with a 2-D latent space that differ only in {@code model.hidden}, one with more hidden
     * layers ("deeper"), the other with a wider largest layer ("wider"). The deeper one does better when both its test
     * -ELBO and its IS log p(x) are better by at least {@value #TIE_NATS} nats; worse on both is a contradiction.
     */
    public static Verdict deeperBeatsWider(List<ExperimentResults> experiments) {
        List<Comparison> out = new ArrayList<>();
        for (ExperimentResults e : experiments) {
            for (List<RunResult> group : likeForLike(e.runs(), Set.of("model.hidden"))) {
                for (RunResult deep : group) {
                    for (RunResult wide : group) {
                        List<Integer> d = hidden(deep);
                        List<Integer> w = hidden(wide);
                        if (latent(deep) == 2 && d.size() > w.size() && max(w) > max(d)) {
                            out.add(depth(e.experiment(), deep, wide));
                        }
                    }
                }
            }
        }
        return verdict(CLAIM_DEPTH, out);
    }

    private static Comparison speed(String experiment, RunResult a, RunResult b) {
        double finalA = last(a.curve()).testNegElbo();
        double finalB = last(b.curve()).testNegElbo();
        double target = Math.max(finalA, finalB);
        long ea = examplesToReach(a.curve(), target);
        long eb = examplesToReach(b.curve(), target);
        Outcome o = ea < eb ? Outcome.SUPPORTS : ea > eb ? Outcome.CONTRADICTS : Outcome.NO_CLEAR_DIFFERENCE;
        String ratio = ea == eb ? "the same" : String.format(Locale.ROOT, "%.1fx %s", (double) Math.max(ea, eb) / Math.min(ea, eb),
                ea < eb ? "fewer for ReLU+Adam" : "fewer for tanh+Adagrad");
        String evidence = String.format(Locale.ROOT, "to reach %.2f nats (the worse final test -ELBO): ReLU+Adam %s examples, "
                        + "tanh+Adagrad %s (%s); final test -ELBO %.2f vs %.2f after %s examples; training time %s vs %s",
                target, Format.count(ea), Format.count(eb), ratio, finalA, finalB, Format.count(last(a.curve()).examplesSeen()),
                Format.duration(a.trainSeconds()), Format.duration(b.trainSeconds()));
        return new Comparison(experiment, a.dataset(), a.name(), b.name(), o, evidence);
    }

    private static Comparison depth(String experiment, RunResult deep, RunResult wide) {
        double elbo = wide.testNegElbo() - deep.testNegElbo();
        double ll = deep.testLogLikelihood() - wide.testLogLikelihood();
        Outcome o = elbo >= TIE_NATS && ll >= TIE_NATS ? Outcome.SUPPORTS
                : elbo <= -TIE_NATS && ll <= -TIE_NATS ? Outcome.CONTRADICTS : Outcome.NO_CLEAR_DIFFERENCE;
        String evidence = String.format(Locale.ROOT, "hidden %s vs %s: test -ELBO %.2f vs %.2f, IS log p(x) %.2f vs %.2f "
                        + "(the deeper one %s by %.2f and %.2f nats)", hidden(deep), hidden(wide), deep.testNegElbo(),
                wide.testNegElbo(), deep.testLogLikelihood(), wide.testLogLikelihood(), elbo >= 0 ? "better" : "worse",
                Math.abs(elbo), Math.abs(ll));
        return new Comparison(experiment, deep.dataset(), deep.name(), wide.name(), o, evidence);
    }

    /** The first examples-seen count at which the curve is at or below {@code target}; MAX_VALUE if never. */
    static long examplesToReach(List<CheckpointCurve.Point> curve, double target) {
        for (CheckpointCurve.Point p : curve) {
            if (p.testNegElbo() <= target) {
                return p.examplesSeen();
            }
        }
        return Long.MAX_VALUE;
    }

    static Verdict verdict(String claim, List<Comparison> comparisons) {
        Set<Outcome> seen = comparisons.stream().map(Comparison::outcome).collect(Collectors.toSet());
        Status status = seen.isEmpty() ? Status.NOT_TESTED
                : seen.size() > 1 ? Status.MIXED
                : switch (seen.iterator().next()) {
                    case SUPPORTS -> Status.SUPPORTED;
                    case CONTRADICTS -> Status.CONTRADICTED;
                    case NO_CLEAR_DIFFERENCE -> Status.NO_CLEAR_DIFFERENCE;
                };
        return new Verdict(claim, status, summary(status, comparisons), comparisons);
    }

    /** "supported: mnist 3 of 3 comparisons support it; punks ..." per data set, so a data set that disagrees shows. */
    private static String summary(Status status, List<Comparison> comparisons) {
        if (comparisons.isEmpty()) {
            return "No like-for-like pair of runs in these results tests it.";
        }
        Map<String, List<Comparison>> byDataset = new TreeMap<>();
        comparisons.forEach(c -> byDataset.computeIfAbsent(c.dataset(), k -> new ArrayList<>()).add(c));
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, List<Comparison>> d : byDataset.entrySet()) {
            Map<Outcome, Long> counts = new LinkedHashMap<>();
            for (Outcome o : Outcome.values()) {
                long n = d.getValue().stream().filter(c -> c.outcome() == o).count();
                if (n > 0) {
                    counts.put(o, n);
                }
            }
            String tally = counts.entrySet().stream()
                    .map(en -> en.getValue() + " " + en.getKey().name().toLowerCase(Locale.ROOT).replace('_', ' '))
                    .collect(Collectors.joining(", "));
            parts.add(d.getKey() + ": " + tally + " (of " + d.getValue().size() + ")");
        }
        return "Verdict: **" + status.text + "**. Comparisons per data set: " + String.join("; ", parts) + ".";
    }

    /**
     * Groups an experiment's runs whose configs agree on every key except the {@code factors} (and the run name, the
     * evaluation and the pictures, which do not change training).
     */
    static List<List<RunResult>> likeForLike(List<RunResult> runs, Set<String> factors) {
        Map<Map<String, Object>, List<RunResult>> groups = new LinkedHashMap<>();
        for (RunResult r : runs) {
            Map<String, Object> key = new TreeMap<>();
            flatten("", r.config(), key);
            key.keySet().removeIf(k -> factors.contains(k) || k.startsWith("run.") || k.startsWith("evaluate.") || k.startsWith("render."));
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
        }
        return new ArrayList<>(groups.values());
    }

    private static void flatten(String prefix, Map<String, Object> m, Map<String, Object> out) {
        for (Map.Entry<String, Object> e : m.entrySet()) {
            String key = prefix + e.getKey();
            if (e.getValue() instanceof Map<?, ?> child) {
                @SuppressWarnings("unchecked")
                Map<String, Object> c = (Map<String, Object>) child;
                flatten(key + ".", c, out);
            } else {
                out.put(key, e.getValue() instanceof Number n ? (Object) n.doubleValue() : e.getValue());
            }
        }
    }

    private static boolean is(RunResult r, String activation, String optimizer) {
        return activation.equals(r.setting("model.activation")) && optimizer.equals(r.setting("train.optimizer"));
    }

    static List<Integer> hidden(RunResult r) {
        Object h = r.setting("model.hidden");
        if (!(h instanceof List<?> list)) {
            return List.of();
        }
        return list.stream().map(o -> ((Number) o).intValue()).toList();
    }

    private static int latent(RunResult r) {
        return r.setting("model.latent") instanceof Number n ? n.intValue() : -1;
    }

    private static int max(List<Integer> xs) {
        return xs.stream().mapToInt(Integer::intValue).max().orElse(0);
    }

    private static CheckpointCurve.Point last(List<CheckpointCurve.Point> curve) {
        return Objects.requireNonNull(curve.get(curve.size() - 1));
    }
}

package io.sparkvae.report;

import static io.sparkvae.report.SyntheticResults.experiment;
import static io.sparkvae.report.SyntheticResults.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkvae.experiments.ExperimentResults.RunResult;
import io.sparkvae.report.ClaimVerdicts.Outcome;
import io.sparkvae.report.ClaimVerdicts.Status;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClaimVerdictsTest {
    private static final List<Integer> H500 = List.of(500);

    /** A ReLU+Adam and a tanh+Adagrad run on {@code dataset} (nz=20, [500]) with these test curves. */
    private static List<RunResult> speedPair(String dataset, double[] reluAdam, double[] tanhAdagrad) {
        return List.of(run(dataset + "-relu", dataset, 20, H500, "relu", "adam", reluAdam),
                run(dataset + "-tanh", dataset, 20, H500, "tanh", "adagrad", tanhAdagrad));
    }

    private static ClaimVerdicts.Verdict speed(List<List<RunResult>> pairs) {
        return ClaimVerdicts.reluAdamFaster(List.of(experiment("ao", pairs.stream().flatMap(List::stream).toArray(RunResult[]::new))));
    }

    private static double[] curve(double... v) {
        return v;
    }

    @Test
    void reluAdamReachingTheBoundEarlierOnEveryDataSetIsSupported() {
        var v = speed(List.of(speedPair("mnist", curve(120, 105, 100), curve(150, 130, 110)),
                speedPair("punks", curve(300, 270, 260), curve(320, 290, 280))));
        assertEquals(Status.SUPPORTED, v.status());
        assertEquals(2, v.comparisons().size());
        // mnist: the worse final is 110; ReLU+Adam is below it after epoch 2 (2,000 examples), tanh+Adagrad at epoch 3.
        assertTrue(v.comparisons().get(0).evidence().contains("reach 110.00 nats"), v.comparisons().get(0).evidence());
        assertTrue(v.comparisons().get(0).evidence().contains("ReLU+Adam 2,000 examples, tanh+Adagrad 3,000"),
                v.comparisons().get(0).evidence());
    }

    @Test
    void tanhAdagradFasterEverywhereIsContradicted() {
        var v = speed(List.of(speedPair("mnist", curve(150, 130, 110), curve(120, 105, 100))));
        assertEquals(Status.CONTRADICTED, v.status());
        assertEquals(Outcome.CONTRADICTS, v.comparisons().get(0).outcome());
    }

    @Test
    void dataSetsThatDisagreeGiveMixedAndTheSummaryNamesEach() {
        var v = speed(List.of(speedPair("mnist", curve(120, 105, 100), curve(150, 130, 110)),
                speedPair("punks", curve(320, 290, 280), curve(300, 270, 260))));
        assertEquals(Status.MIXED, v.status());
        assertTrue(v.summary().contains("mixed"), v.summary());
        assertTrue(v.summary().contains("mnist: 1 supports (of 1)") && v.summary().contains("punks: 1 contradicts (of 1)"), v.summary());
    }

    @Test
    void onlyLikeForLikeRunsOfOneExperimentArePaired() {
        // Different latent sizes, ReLU+Adagrad and a run in another experiment: nothing comparable.
        var v = ClaimVerdicts.reluAdamFaster(List.of(
                experiment("a", run("relu20", "mnist", 20, H500, "relu", "adam", 120, 100),
                        run("tanh5", "mnist", 5, H500, "tanh", "adagrad", 150, 110),
                        run("reluadagrad", "mnist", 20, H500, "relu", "adagrad", 150, 110)),
                experiment("b", run("tanh20", "mnist", 20, H500, "tanh", "adagrad", 150, 110))));
        assertEquals(Status.NOT_TESTED, v.status());
        assertTrue(v.comparisons().isEmpty());
    }

    @Test
    void sameEpochToTheBoundIsNoClearDifference() {
        var v = speed(List.of(speedPair("mnist", curve(150, 100), curve(140, 101))));
        assertEquals(Status.NO_CLEAR_DIFFERENCE, v.status());
    }

    @Test
    void deeperBetterOnBothMeasuresIsSupportedWorseIsContradictedCloseIsNoClearDifference() {
        var supported = ClaimVerdicts.deeperBeatsWider(List.of(experiment("dw",
                run("wide", "mnist", 2, List.of(1000), "relu", "adam", 160, 155),
                run("deep", "mnist", 2, List.of(500, 500), "relu", "adam", 160, 150),
                run("base", "mnist", 2, H500, "relu", "adam", 160, 152))));
        assertEquals(Status.SUPPORTED, supported.status());
        assertEquals(1, supported.comparisons().size(), "[500] is neither wider nor deeper than [500, 500]");
        assertEquals("deep", supported.comparisons().get(0).claimed());
        assertTrue(supported.comparisons().get(0).evidence().contains("better by 5.00"), supported.comparisons().get(0).evidence());

        var contradicted = ClaimVerdicts.deeperBeatsWider(List.of(experiment("dw",
                run("wide", "punks", 2, List.of(1000), "relu", "adam", 300, 290),
                run("deep", "punks", 2, List.of(500, 500), "relu", "adam", 300, 295))));
        assertEquals(Status.CONTRADICTED, contradicted.status());

        var close = ClaimVerdicts.deeperBeatsWider(List.of(experiment("dw",
                run("wide", "punks", 2, List.of(1000), "relu", "adam", 300, 290.4),
                run("deep", "punks", 2, List.of(500, 500), "relu", "adam", 300, 290))));
        assertEquals(Status.NO_CLEAR_DIFFERENCE, close.status());
    }

    @Test
    void deeperWinsOnOneDataSetAndLosesOnTheOtherIsMixed() {
        var v = ClaimVerdicts.deeperBeatsWider(List.of(experiment("dw",
                run("m-wide", "mnist", 2, List.of(1000), "relu", "adam", 160, 155),
                run("m-deep", "mnist", 2, List.of(500, 500), "relu", "adam", 160, 150),
                run("p-wide", "punks", 2, List.of(1000), "relu", "adam", 300, 290),
                run("p-deep", "punks", 2, List.of(500, 500), "relu", "adam", 300, 295))));
        assertEquals(Status.MIXED, v.status());
        assertTrue(v.summary().contains("mnist: 1 supports") && v.summary().contains("punks: 1 contradicts"), v.summary());
    }

    @Test
    void twentyDimensionalRunsDoNotCountForTheDepthClaim() {
        var v = ClaimVerdicts.deeperBeatsWider(List.of(experiment("dw",
                run("wide", "mnist", 20, List.of(1000), "relu", "adam", 110, 105),
                run("deep", "mnist", 20, List.of(500, 500), "relu", "adam", 110, 100))));
        assertEquals(Status.NOT_TESTED, v.status());
    }
}

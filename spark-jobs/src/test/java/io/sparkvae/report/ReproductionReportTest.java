package io.sparkvae.report;

import static io.sparkvae.report.SyntheticResults.experiment;
import static io.sparkvae.report.SyntheticResults.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkvae.experiments.ExperimentResults;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** The report as a pure transform of a small synthetic results set (round-tripped through results.json). */
class ReproductionReportTest {
    private static List<ExperimentResults> results() {
        ExperimentResults latent = experiment("latent-sizes",
                run("latent-sizes-z3-seed", "mnist", 3, List.of(500), "relu", "adam", 140, 130, 125),
                run("latent-sizes-z20-seed", "mnist", 20, List.of(500), "relu", "adam", 120, 105, 100),
                run("latent-sizes-z20-paper", "mnist", 20, List.of(500), "tanh", "adagrad", 150, 130, 110));
        ExperimentResults depth = experiment("depth-vs-width",
                run("depth-vs-width-mnist-wide", "mnist", 2, List.of(1000), "relu", "adam", 160, 155),
                run("depth-vs-width-mnist-deep", "mnist", 2, List.of(500, 500), "relu", "adam", 160, 150),
                run("depth-vs-width-punks-wide", "punks", 2, List.of(1000), "relu", "adam", 300, 290),
                run("depth-vs-width-punks-deep", "punks", 2, List.of(500, 500), "relu", "adam", 300, 295));
        // Through the file format, as the report command reads it.
        return List.of(ExperimentResults.parse(ExperimentResults.toJson(latent), "latent"),
                ExperimentResults.parse(ExperimentResults.toJson(depth), "depth"));
    }

    @Test
    void listsEveryRunWithItsNumbersAndDrawsOneCurveChartPerGroup() throws Exception {
        ReproductionReport.Output out = ReproductionReport.build(results(), "scripts/experiments/report.sh");
        String md = out.markdown();
        for (ExperimentResults e : results()) {
            for (ExperimentResults.RunResult r : e.runs()) {
                assertTrue(md.contains("| `" + r.name() + "` |"), "table row for " + r.name());
                assertTrue(md.contains("| " + Format.nats(r.testNegElbo()) + " | " + Format.nats(r.testLogLikelihood()) + " |"),
                        "final numbers of " + r.name());
            }
        }
        // Groups: latent-sizes "mnist, nz=3" and "mnist, nz=20"; depth-vs-width "mnist, nz=2" and "punks, nz=2".
        assertEquals(4, out.charts().size());
        for (String chart : out.charts().keySet()) {
            assertTrue(md.contains("](img/reproduction/" + chart + ")"), chart);
        }
        for (ReproductionReport.Chart chart : out.charts().values()) {
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(chart.png()));
            assertEquals(800, img.getWidth());
            assertEquals(42L, chart.provenance().seed(), "the runs' seed is in the chart's provenance");
        }
        ReproductionReport.Chart depth = out.charts().get("depth-vs-width-curves-2.png");
        assertEquals(List.of("depth-vs-width-punks-wide", "depth-vs-width-punks-deep"), depth.description().get("runs"));
        assertTrue(md.contains("scripts/experiments/run.sh latent-sizes\n"), "regenerate commands");
        assertTrue(md.contains("scripts/experiments/report.sh\n```"), "the report's own command");
        assertTrue(md.contains("Test CPU, 2 cores"), "machine");
        assertTrue(md.contains("1.0 x 10^8"), "the paper's budget");
        assertTrue(md.contains("Training: 2 workers x minibatch 100, parameters and optimiser state averaged every 50"
                + " minibatches, learning-rate scaling linear.\n"), "how the runs were trained, from their configs");
        // 3 + 3 + 3 + 2 + 2 + 2 + 2 = 17 epochs of 1,000 examples.
        assertTrue(md.contains("| **all** | 7 |  | 17,000 |"), md);
    }

    @Test
    void statesAVerdictPerClaimFromTheNumbers() {
        String md = ReproductionReport.build(results(), "report").markdown();
        assertTrue(md.contains("### Claim 1: " + ClaimVerdicts.CLAIM_SPEED + "\n\nVerdict: **supported**"), md);
        assertTrue(md.contains("### Claim 2: " + ClaimVerdicts.CLAIM_DEPTH + "\n\nVerdict: **mixed**"), md);
        assertTrue(md.contains("| latent-sizes | mnist | `latent-sizes-z20-seed` | `latent-sizes-z20-paper` | supports |"), md);
    }

    @Test
    void copiesEveryManifoldAndTheBestReconstructionPerDataSet() {
        ReproductionReport.Output out = ReproductionReport.build(results(), "report");
        List<String> names = out.pictures().stream().map(ReproductionReport.Picture::name).sorted().toList();
        assertEquals(Arrays.asList(
                "depth-vs-width-mnist-deep-manifold.png", "depth-vs-width-mnist-wide-manifold.png",
                "depth-vs-width-punks-deep-manifold.png", "depth-vs-width-punks-wide-manifold.png",
                "depth-vs-width-punks-wide-reconstructions.png", "latent-sizes-z20-seed-reconstructions.png"), names);
        for (ReproductionReport.Picture p : out.pictures()) {
            assertTrue(out.markdown().contains("](img/reproduction/" + p.name() + ")"), p.name());
        }
    }

    @Test
    void roundTripKeepsTheResults() {
        ExperimentResults e = results().get(0);
        assertEquals(e, ExperimentResults.parse(ExperimentResults.toJson(e), "again"));
        assertArrayEquals(new double[] {140, 130, 125},
                e.runs().get(0).curve().stream().mapToDouble(p -> p.testNegElbo()).toArray());
    }
}

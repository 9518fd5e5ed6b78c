package io.sparkvae.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkvae.model.EpochMetrics;
import io.sparkvae.io.BadInputException;
import java.util.List;
import org.junit.jupiter.api.Test;

class EpochMetricsTest {
    @Test
    void jsonLinesRoundTripWithTheDocumentedKeys() {
        var a = new EpochMetrics(1, 140.5, 138.25, 12.5, 15000.0);
        var b = new EpochMetrics(2, 120.0, 119.0, 11.0, 16000.0);
        String text = EpochMetrics.toJsonLines(List.of(a, b));
        assertEquals(2, text.lines().count());
        assertTrue(text.startsWith("{\"epoch\":1,\"train_neg_elbo\":140.5,\"val_neg_elbo\":138.25,\"seconds\":12.5,\"images_per_second\":15000.0}"), text);
        assertEquals(List.of(a, b), EpochMetrics.parse(text, "metrics.jsonl"));
    }

    @Test
    void parsingToleratesMissingNumbersAndNamesTheBadLine() {
        String text = "{\"epoch\":1,\"train_neg_elbo\":160.5,\"val_neg_elbo\":130.25,\"seconds\":3.0,\"images_per_second\":17000}\n"
                + "\n{\"epoch\":2,\"train_neg_elbo\":125.0,\"extra\":\"x\"}\n";
        List<EpochMetrics> log = EpochMetrics.parse(text, "m.jsonl");
        assertEquals(List.of(new EpochMetrics(1, 160.5, 130.25, 3.0, 17000), new EpochMetrics(2, 125.0, Double.NaN, Double.NaN, Double.NaN)), log);
        BadInputException e = assertThrows(BadInputException.class,
                () -> EpochMetrics.parse("{\"epoch\":1}\n{\"epoch\":2.5}\n", "runs/x/metrics.jsonl"));
        assertEquals("runs/x/metrics.jsonl:2: expected an object with an integer \"epoch\"", e.getMessage());
        assertThrows(BadInputException.class, () -> EpochMetrics.parse("not json", "m"));
    }

    @Test
    void progressLineSaysEpochScoresSpeedAndEta() {
        String line = ProgressLine.format(new EpochMetrics(3, 112.414, 110.871, 4.0, 15234), 30, 4.0);
        assertEquals("epoch 3/30  -ELBO train 112.41 val 110.87  15,234 img/s  4.0s  ETA 1m48s", line);
        assertEquals("2h05m", ProgressLine.duration(7500));
    }
}

package io.sparkvae.reliability;

import io.sparkvae.reliability.BadInputCatalogueTest.Case;
import io.sparkvae.reliability.BadInputCatalogueTest.Run;
import java.util.List;

/**
 * The bad-input catalogue's cases of settings that are each accepted alone but cannot work: Spark's master and
 * settings, and pictures no heap holds. Each is refused before any work, in one line.
 */
final class SettingCases {
    private SettingCases() {}

    static List<Case> all(List<String> every) {
        return List.of(
                new Case("spark-conf-bad-value", "`--spark-conf spark.driver.maxResultSize=lots`", every,
                        (d, s) -> new Run(d.root()).sparkConf("spark.driver.maxResultSize=lots").names("spark.driver.maxResultSize=lots")),
                new Case("master-bogus", "`--master bogus://x:1`", every, (d, s) -> {
                    Run r = new Run(d.root()).names("--master bogus://x:1", "not a Spark master URL");
                    r.master = "bogus://x:1";
                    return r;
                }),
                new Case("master-no-threads", "`--master 'local[0]'`", every, (d, s) -> {
                    Run r = new Run(d.root()).names("--master local[0]", "at least 1 thread");
                    r.master = "local[0]";
                    return r;
                }),
                new Case("spark-conf-executor-memory", "`--spark-conf spark.executor.memory=1k`", every,
                        (d, s) -> new Run(d.root()).sparkConf("spark.executor.memory=1k").names("spark.executor.memory=1k", "450m")),
                new Case("picture-too-big", "`--set render.scale=32`, `render.samples=10000` (generate: `generate.grid=10000`),"
                        + " each in range", List.of("render", "generate"), (d, s) -> {
                    Run r = new Run(d.root()).set("render.scale=32");
                    return (s.equals("render") ? r.set("render.samples=10000")
                            : r.set("generate.samples=10000").set("generate.grid=10000")).names("samples.png", "89600x89600");
                }));
    }
}

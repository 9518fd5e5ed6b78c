package io.sparkvae.hdfs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import io.sparkvae.cli.VaeMain;
import io.sparkvae.io.HadoopFiles;
import io.sparkvae.testing.LocalSpark;
import io.sparkvae.testing.StageOutputs;
import io.sparkvae.testing.TestData;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * HDFS for real: an in-process MiniDFSCluster holds the config, the raw data and every output; the four stages
 * run through {@link VaeMain#run} with hdfs:// URIs only, then the outputs are checked on HDFS. Every path has
 * characters a URI must escape (space, '#', '%', non-ASCII), and the config includes its base next to it.
 */
class HdfsEndToEndIT {
    static final List<String> STAGES = List.of("prepare", "train", "evaluate", "render");

    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 12, unit = TimeUnit.MINUTES)
    void allStagesReadAndWriteHdfs() throws Exception {
        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, tmp.resolve("dfs").toString());
        conf.setInt("dfs.replication", 1);
        MiniDFSCluster dfs = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        try {
            dfs.waitActive();
            String nn = "hdfs://localhost:" + dfs.getNameNodePort();
            FileSystem fs = dfs.getFileSystem();
            String awkward = " #1 %41 é";
            fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(TestData.rawDir().resolve("punks/punks.png").toString()),
                    new org.apache.hadoop.fs.Path("/raw" + awkward + "/punks/punks.png"));
            fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(TestData.confDir().resolve("punks-z2.conf").toString()),
                    new org.apache.hadoop.fs.Path("/conf" + awkward + "/punks-z2.conf"));
            try (var out = fs.create(new org.apache.hadoop.fs.Path("/conf" + awkward + "/smoke.conf"))) {
                out.write(("include \"punks-z2.conf\"\nrun.name = punks-z2\ndata.limit = 200\ntrain.epochs = 1\n").getBytes(UTF_8));
            }
            String root = nn + "/vae" + awkward;
            // --set values are HOCON: a URI (with ':' and '//') must be quoted.
            List<String> common = List.of("--conf", nn + "/conf" + awkward + "/smoke.conf", "--root", root, "--master", "local[2]",
                    "--set", "data.raw=\"" + nn + "/raw" + awkward + "\"", "--set", "evaluate.is-samples=10");

            for (String stage : STAGES) {
                long t0 = System.nanoTime();
                assertEquals(0, VaeMain.run(args(stage, common)), stage + " on HDFS");
                System.out.printf("hdfs: %s in %.1f s%n", stage, (System.nanoTime() - t0) / 1e9);
            }

            HadoopFiles files = HadoopFiles.withDefaults();
            StageOutputs out = new StageOutputs(files, files.path(root));
            JsonNode manifest = out.assertPrepared("punks-limit200", 200);
            assertEquals("ac39af4793119ee46bbff351d8cb6b5f23da60222126add4268e261199a2921b",
                    manifest.path("sources").path("punks/punks.png").asText(), "source checksum recorded from HDFS");
            out.assertTrained("punks-z2", 1);
            out.assertEvaluated("punks-z2", 200);
            out.assertRendered("punks-z2");
            out.assertNoLeftovers();

            SparkSession spark = LocalSpark.start("hdfs-check");
            try {
                for (String split : List.of("train", "val", "test")) {
                    assertEquals(200, spark.read().parquet(root + "/datasets/punks-limit200/" + split).count(), split + " rows on HDFS");
                }
                assertEquals(200, spark.read().parquet(root + "/runs/punks-z2/eval/per_example.parquet").count(), "per-example rows");
            } finally {
                spark.stop();
            }

            // The pipeline over a complete HDFS root: exit 0, every stage skipped, no marker rewritten.
            Map<String, Long> before = markerTimes(out);
            assertEquals(0, VaeMain.run(args("pipeline", common)), "pipeline over a complete root");
            assertEquals(before, markerTimes(out), "a complete stage must be skipped, not rebuilt");
        } finally {
            dfs.shutdown();
        }
    }

    private static Map<String, Long> markerTimes(StageOutputs out) {
        Map<String, Long> t = new LinkedHashMap<>();
        t.put("prepare", out.successTime(out.datasetDir("punks-limit200")));
        for (String d : List.of("model", "eval", "render")) {
            t.put(d, out.successTime(new org.apache.hadoop.fs.Path(out.runDir("punks-z2"), d)));
        }
        return t;
    }

    private static String[] args(String stage, List<String> common) {
        List<String> a = new ArrayList<>();
        a.add(stage);
        a.addAll(common);
        return a.toArray(String[]::new);
    }
}

package io.sparkvae.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sparkvae.cli.VaeMain;
import io.sparkvae.io.HadoopFiles;
import io.sparkvae.testing.LocalSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code format = image-folder} on HDFS: an in-process MiniDFSCluster holds a folder tree of image files (one of them
 * corrupt) and the output root; {@code vae prepare} lists and decodes them through hdfs:// URIs and writes the dataset
 * there.
 */
class ImageFolderOnHdfsIT {
    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void prepareReadsAnImageFolderOnHdfs() throws Exception {
        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, tmp.resolve("dfs").toString());
        conf.setInt("dfs.replication", 1);
        MiniDFSCluster dfs = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        try {
            dfs.waitActive();
            String nn = "hdfs://localhost:" + dfs.getNameNodePort();
            FileSystem fs = dfs.getFileSystem();
            for (int i = 0; i < 24; i++) {
                put(fs, "/raw/icons/" + (i % 2 == 0 ? "round" : "square") + "/icon" + i + ".png",
                        ImageFiles.encode(i % 3 == 0 ? ImageFiles.palette(10 + i, 7) : ImageFiles.rgba(12, 12 + i, i), "png"));
            }
            put(fs, "/raw/icons/square/broken.png", "not a picture".getBytes());
            put(fs, "/raw/icons/square/readme.txt", "left out by the glob".getBytes());
            Path confFile = Files.writeString(tmp.resolve("icons.conf"), """
                    data {
                      dataset = icons
                      format = image-folder
                      image-folder { path = icons, width = 8, height = 8, channels = 3, resize = fit, labels = subfolder, on-bad-image = skip }
                      val-fraction = 0.2
                      test-fraction = 0.2
                    }
                    """);
            String root = nn + "/vae";
            int code = VaeMain.run(new String[] {"prepare", "--conf", confFile.toString(), "--root", root, "--master", "local[2]",
                    "--set", "data.raw=\"" + nn + "/raw\""});
            assertEquals(0, code, "prepare on HDFS");

            HadoopFiles files = HadoopFiles.withDefaults();
            org.apache.hadoop.fs.Path dataset = files.path(root + "/datasets/icons");
            assertTrue(files.isComplete(dataset), "_SUCCESS on HDFS");
            JsonNode m = io.sparkvae.io.Json.mapper().readTree(files.readString(new org.apache.hadoop.fs.Path(dataset, DatasetManifest.FILE)));
            assertEquals(1, m.path("format").path("skipped").asInt(), m.toString());
            assertEquals("square/broken.png", m.path("format").path("skipped_first").path(0).asText());
            assertEquals(0, m.path("format").path("label_table").path("round").asInt());
            assertEquals(1, m.path("format").path("label_table").path("square").asInt());
            assertTrue(m.path("sources").path("icons").asText().matches("[0-9a-f]{64}"), m.path("sources").toString());
            int total = 0;
            for (String split : SplitPlan.SPLITS) {
                total += m.path("splits").path(split).path("count").asInt();
            }
            assertEquals(24, total);

            SparkSession spark = LocalSpark.start("hdfs-images");
            try {
                long rows = spark.read().parquet(root + "/datasets/icons/train", root + "/datasets/icons/val", root + "/datasets/icons/test")
                        .where("label = 1 AND id LIKE 'square/%'").count();
                assertEquals(12, rows, "the square icons, labelled by their folder");
            } finally {
                spark.stop();
            }
        } finally {
            dfs.shutdown();
        }
    }

    private static void put(FileSystem fs, String path, byte[] bytes) throws Exception {
        try (FSDataOutputStream out = fs.create(new org.apache.hadoop.fs.Path(path))) {
            out.write(bytes);
        }
    }
}

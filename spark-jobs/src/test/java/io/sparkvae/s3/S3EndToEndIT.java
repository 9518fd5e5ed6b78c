package io.sparkvae.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparkvae.cli.VaeMain;
import io.sparkvae.io.HadoopFiles;
import io.sparkvae.spark.SparkSessionFactory;
import io.sparkvae.testing.StageOutputs;
import io.sparkvae.testing.StageRuns;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An {@code s3a://} root for real: S3Proxy, an S3 API server, runs on localhost (in memory), and the four
 * stages run through {@link VaeMain#run} with the shipped S3A file system, configured only by
 * {@code --spark-conf spark.hadoop.fs.s3a.*} (endpoint, credentials), as users would point it at their S3.
 */
class S3EndToEndIT {
    static final List<String> STAGES = List.of("prepare", "train", "evaluate", "render");

    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 12, unit = TimeUnit.MINUTES)
    void allStagesReadAndWriteAnS3Root() throws Exception {
        // In memory: with jclouds' "filesystem" store S3Proxy 2.1.0 never answered some of S3A's deletes of directory
        // markers after a write, and prepare did not finish within 10 minutes.
        BlobStoreContext blobs = ContextBuilder.newBuilder("transient").build(BlobStoreContext.class);
        blobs.getBlobStore().createContainerInLocation(null, "vae-bucket");
        S3Proxy s3 = S3Proxy.builder().blobStore(blobs.getBlobStore()).endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, "test-access", "test-secret").build();
        s3.start();
        try {
            List<String> s3a = List.of(
                    "fs.s3a.endpoint=http://127.0.0.1:" + s3.getPort(),
                    "fs.s3a.endpoint.region=us-east-1",
                    "fs.s3a.path.style.access=true",
                    "fs.s3a.connection.ssl.enabled=false",
                    "fs.s3a.access.key=test-access",
                    "fs.s3a.secret.key=test-secret");
            String root = "s3a://vae-bucket/runs root";
            List<String> common = new ArrayList<>(List.of("--conf", StageRuns.writeConf(tmp).toString(), "--root", root,
                    "--master", "local[2]", "--set", "train.epochs=1", "--set", "evaluate.is-samples=10"));
            s3a.forEach(kv -> common.addAll(List.of("--spark-conf", "spark.hadoop." + kv)));

            for (String stage : STAGES) {
                List<String> args = new ArrayList<>(List.of(stage));
                args.addAll(common);
                long t0 = System.nanoTime();
                assertEquals(0, VaeMain.run(args.toArray(String[]::new)), stage + " on S3");
                System.out.printf("s3: %s in %.1f s%n", stage, (System.nanoTime() - t0) / 1e9);
            }

            List<String> sparkConf = s3a.stream().map(kv -> "spark.hadoop." + kv).toList();
            HadoopFiles files = HadoopFiles.withSettings(SparkSessionFactory.hadoopSettings(sparkConf));
            StageOutputs out = new StageOutputs(files, files.path(root));
            out.assertPrepared("mnist-limit200", 200);
            out.assertTrained("tiny", 1);
            out.assertEvaluated("tiny", 200);
            out.assertRendered("tiny");
            out.assertNoLeftovers();
        } finally {
            s3.stop();
            blobs.close();
        }
    }
}

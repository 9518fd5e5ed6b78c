package io.sparkvae.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkvae.testing.ChildProcess;
import io.sparkvae.testing.LocalCluster;
import io.sparkvae.testing.MiniHadoop;
import io.sparkvae.testing.StandaloneCluster;
import io.sparkvae.testing.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * README's plain spark-submit recipe, run as written: the block is read from README.md, only its {@code MASTER}
 * placeholder is replaced (by a real standalone cluster's URL), and it runs in bash with HDFS ({@code MiniDFSCluster})
 * as the default file system. {@code spark-submit} and {@code hdfs} are stand-ins for a Spark and a Hadoop
 * installation: Spark's own SparkSubmit and Hadoop's FsShell from the Maven build's Spark jars.
 */
class SparkSubmitRecipeIT {
    static final String MARKER = "<!-- spark-submit recipe (SparkSubmitRecipeIT) -->";

    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void theReadmeRecipeRunsAStageFromHdfsOnACluster() throws Exception {
        String recipe = recipeFromReadme(ChildProcess.repo().resolve("README.md"));
        try (MiniHadoop hadoop = MiniHadoop.startHdfs(tmp.resolve("hadoop"));
             StandaloneCluster cluster = StandaloneCluster.start(tmp.resolve("cluster"), 2, "2g",
                     Map.of("HADOOP_CONF_DIR", hadoop.confDir().toString()))) {
            String script = replaceMaster(recipe, cluster.url());

            // The user's folder: the job jar, a config and the raw data, as the README says.
            Path work = Files.createDirectories(tmp.resolve("work"));
            Files.createSymbolicLink(work.resolve("spark-vae-jobs.jar"), LocalCluster.jobJar());
            Files.copy(ChildProcess.repo().resolve("conf/punks-z2.conf"), work.resolve("punks-z2.conf"));
            Files.createSymbolicLink(work.resolve("punks.png"), TestData.rawDir().resolve("punks/punks.png"));

            Path bin = standIns(cluster.sparkHome());
            Path argsLog = tmp.resolve("spark-submit-args.txt");
            Map<String, String> env = new HashMap<>(cluster.env());
            env.putAll(hadoop.clientEnv());
            env.put("PATH", bin + ":" + System.getenv("PATH"));
            env.put("ARGS_LOG", argsLog.toString());
            ChildProcess.Result r = ChildProcess.run(List.of("bash", "-euo", "pipefail", "-c", script), work, env,
                    tmp.resolve("recipe.log"), Duration.ofMinutes(8));
            assertEquals(0, r.exitCode(), "the README's recipe failed:\n" + r.tail());

            // The stage's output is on HDFS, complete, with every punk in one of its splits.
            assertTrue(hadoop.fileSystem().exists(new org.apache.hadoop.fs.Path("/vae/datasets/punks/_SUCCESS")), r.tail());
            JsonNode manifest = new ObjectMapper().readTree(hadoop.read("/vae/datasets/punks/manifest.json"));
            int examples = 0;
            for (String split : List.of("train", "val", "test")) {
                examples += manifest.path("splits").path(split).path("count").asInt();
            }
            assertEquals(10_000, examples, "punks in the prepared splits");

            // It ran on the cluster's executors, which fetched the job jar from HDFS.
            List<Path> apps = cluster.applicationDirs();
            assertEquals(1, apps.size(), "applications on the Worker: " + apps);
            List<Path> stderr = new ArrayList<>();
            try (var s = Files.walk(apps.get(0))) {
                s.filter(p -> p.getFileName().toString().equals("stderr")).forEach(stderr::add);
            }
            assertTrue(stderr.stream().anyMatch(p -> ChildProcess.read(p).contains("spark-vae-jobs.jar")),
                    "no executor fetched the job jar: " + stderr);

            // The recipe's Java 17 options are the build's whole list (so the README cannot drift from it).
            String args = Files.readString(argsLog);
            for (String flag : LocalCluster.jvmOptions().trim().split("\\s+")) {
                assertTrue(args.contains("spark.executor.extraJavaOptions=") && args.contains(flag),
                        "the recipe's options lack " + flag + ":\n" + args);
            }
        }
    }

    /** The bash block after {@link #MARKER} in README.md. */
    static String recipeFromReadme(Path readme) throws Exception {
        String text = Files.readString(readme);
        int at = text.indexOf(MARKER);
        assertTrue(at >= 0, "README.md has no " + MARKER);
        Matcher block = Pattern.compile("```bash\\n(.*?)```", Pattern.DOTALL).matcher(text);
        assertTrue(block.find(at), "no bash block after " + MARKER);
        return block.group(1);
    }

    /** The one placeholder: the line {@code MASTER=<value>}. */
    static String replaceMaster(String recipe, String master) {
        Matcher m = Pattern.compile("(?m)^MASTER=\\S+").matcher(recipe);
        assertTrue(m.find(), "the recipe sets no MASTER");
        String replaced = m.replaceFirst(Matcher.quoteReplacement("MASTER=" + master));
        assertTrue(!m.find(), "the recipe sets MASTER twice");
        return replaced;
    }

    /**
     * {@code spark-submit} as a Spark distribution's does it in client mode (HADOOP_CONF_DIR first on the classpath,
     * the driver's {@code spark.driver.extraJavaOptions} on its own JVM) and {@code hdfs dfs} as Hadoop's FsShell.
     */
    private Path standIns(Path sparkHome) throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = "\"$HADOOP_CONF_DIR:" + sparkHome.resolve("jars") + "/*\"";
        write(bin.resolve("spark-submit"), """
                #!/usr/bin/env bash
                printf '%%s\\n' "$@" > "$ARGS_LOG"
                driver_opts="" prev=""
                for a in "$@"; do
                  [[ "$prev" == --conf && "$a" == spark.driver.extraJavaOptions=* ]] && driver_opts="${a#*=}"
                  prev=$a
                done
                # shellcheck disable=SC2086
                exec %s -Xmx1g $driver_opts -cp %s org.apache.spark.deploy.SparkSubmit "$@"
                """.formatted(java, cp));
        write(bin.resolve("hdfs"), """
                #!/usr/bin/env bash
                [[ "$1" == dfs ]] || { echo "hdfs stand-in: only 'hdfs dfs ...'" >&2; exit 2; }
                shift
                exec %s -Xmx256m -cp %s org.apache.hadoop.fs.FsShell "$@"
                """.formatted(java, cp));
        return bin;
    }

    private static void write(Path file, String text) throws Exception {
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}

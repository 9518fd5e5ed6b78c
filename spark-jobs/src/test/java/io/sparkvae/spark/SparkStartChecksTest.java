package io.sparkvae.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkvae.cli.VaeMain;
import io.sparkvae.io.BadInputException;
import io.sparkvae.io.RetryableFailure;
import io.sparkvae.testing.ChildProcess;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Settings Spark would refuse only while starting (with a 50-line trace) or after a minute of retries are refused up
 * front in one line: no threads, too little memory, a standalone master that no one answers at.
 */
class SparkStartChecksTest {
    @TempDir
    Path tmp;

    @Test
    void aMasterWithoutThreadsOrWorkersIsRefused() {
        var none = assertThrows(BadInputException.class, () -> SparkSessionFactory.check("local[0]", List.of()));
        assertTrue(none.getMessage().startsWith("--master local[0]: Spark needs at least 1 thread"), none.getMessage());
        assertThrows(BadInputException.class, () -> SparkSessionFactory.check("local-cluster[0,1,1024]", List.of()));
        assertThrows(BadInputException.class, () -> SparkSessionFactory.check("local-cluster[1,1,100]", List.of()));
        SparkSessionFactory.check("local[1]", List.of());
        SparkSessionFactory.check("local-cluster[2,1,1024]", List.of());
    }

    @Test
    void executorMemoryBelowSparksFloorIsRefused() {
        var e = assertThrows(BadInputException.class, () -> SparkSessionFactory.check(null, List.of("spark.executor.memory=1k")));
        assertTrue(e.getMessage().startsWith("--spark-conf spark.executor.memory=1k: Spark needs at least 450m per executor"),
                e.getMessage());
        assertThrows(BadInputException.class, () -> SparkSessionFactory.check(null, List.of("spark.executor.memory=400")));
        SparkSessionFactory.check(null, List.of("spark.executor.memory=512m"));
        assertThrows(BadInputException.class, () -> SparkStartChecks.checkDriverHeap(256L << 20));
        SparkStartChecks.checkDriverHeap(512L << 20);
    }

    @Test
    void aStandaloneMasterNoOneAnswersAtIsNamedAndAListeningOnePasses() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
            SparkStartChecks.requireStandaloneMasterReachable("spark://127.0.0.1:" + closed);
            SparkStartChecks.requireStandaloneMasterReachable("spark://127.0.0.1:1,127.0.0.1:" + closed); // one of HA's answers
        }
        var e = assertThrows(RetryableFailure.class, () -> SparkStartChecks.requireStandaloneMasterReachable("spark://127.0.0.1:" + closed));
        assertEquals("cannot reach the Spark master spark://127.0.0.1:" + closed + " (127.0.0.1:" + closed + ": connection refused):"
                + " is it running, and is this its address?", e.getMessage());
    }

    /** The whole way, in a JVM of its own (no Spark session of a test to borrow): exit 1, one line, at once. */
    @Test
    @Tag("spark")
    void aStageOnAnUnreachableMasterExitsOneInOneLine() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        Path conf = Files.writeString(tmp.resolve("tiny.conf"), "data.limit = 200\n");
        String master = "spark://127.0.0.1:" + closed;
        List<String> cmd = ChildProcess.javaCommand(List.of("-Xmx1g"), VaeMain.class.getName(),
                List.of("train", "--conf", conf.toString(), "--root", tmp.resolve("root").toString(), "--master", master));
        ChildProcess.Result r = ChildProcess.run(cmd, tmp, Map.of(), tmp.resolve("train.log"), Duration.ofMinutes(3));
        assertEquals(1, r.exitCode(), r.output());
        assertEquals(List.of("error: cannot reach the Spark master " + master + " (127.0.0.1:" + closed + ": connection refused): is it"
                + " running, and is this its address?"), r.output().strip().lines().toList());
    }
}

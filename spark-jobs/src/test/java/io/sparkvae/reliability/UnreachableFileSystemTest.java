package io.sparkvae.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkvae.testing.LocalSpark;
import io.sparkvae.testing.StageRuns;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * File systems that cannot be reached, for every way a stage meets one (config, root, raw data): a server that
 * accepts connections and never answers, a port that refuses, a host that does not resolve. Each ends with exit 1
 * (retrying later may help) and one {@code error:} line naming the URI, no stack trace, and, for the silent server,
 * a line saying what the stage waits for; none may hang (the time limits here only stop a hang, they time nothing).
 * The silent cases bound the wait with {@code --spark-conf spark.hadoop.ipc.client.rpc-timeout.ms}, which also shows
 * that setting reaches the driver's own file system calls (the default gives up after 60 s).
 */
@Tag("spark")
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class UnreachableFileSystemTest {
    private static final String TEN_SECONDS = "spark.hadoop.ipc.client.rpc-timeout.ms=10000";
    /** A "NameNode" that accepts every connection and never says a word. */
    private static ServerSocket silent;
    private static final List<Socket> accepted = new CopyOnWriteArrayList<>();
    private static SparkSession spark;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void start() throws IOException {
        silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            try {
                while (true) {
                    accepted.add(silent.accept());
                }
            } catch (IOException closed) {
                // the test is over
            }
        }, "silent-namenode");
        acceptor.setDaemon(true);
        acceptor.start();
        spark = LocalSpark.start("unreachable"); // prepare starts Spark before it reads the raw data
    }

    @AfterAll
    static void stop() throws IOException {
        silent.close();
        for (Socket s : accepted) {
            s.close();
        }
        spark.stop();
    }

    /** A job config (the stages fail before they would read its dataset). */
    private static String conf() {
        return StageRuns.writeConf(tmp).toString();
    }

    private static String silentUri() {
        return "hdfs://127.0.0.1:" + silent.getLocalPort();
    }

    @Test
    void aConfigOnASilentServer() {
        String conf = silentUri() + "/conf/tiny.conf";
        StageRuns.Outcome o = vae("prepare", "--conf", conf, "--root", tmp.resolve("root-conf").toString(), "--spark-conf", TEN_SECONDS);
        assertWaitedThenGaveUp(o, conf);
    }

    @Test
    void aRootOnASilentServer() {
        String root = silentUri() + "/vae";
        StageRuns.Outcome o = vae("train", "--conf", conf(), "--root", root, "--spark-conf", TEN_SECONDS);
        assertWaitedThenGaveUp(o, root);
    }

    @Test
    void rawDataOnASilentServerReleasesTheLock() throws IOException {
        Path root = tmp.resolve("root-raw");
        String raw = silentUri() + "/raw";
        StageRuns.Outcome o = vae("prepare", "--conf", conf(), "--root", root.toString(),
                "--set", "data.raw=" + raw, "--spark-conf", TEN_SECONDS);
        assertWaitedThenGaveUp(o, raw);
        try (Stream<Path> left = Files.walk(root)) {
            assertEquals(List.of(), left.filter(p -> p.getFileName().toString().contains(".lock")).toList(), "the lock is released");
        }
    }

    @Test
    void aRefusingPort() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String root = "hdfs://127.0.0.1:" + port + "/vae";
        StageRuns.Outcome o = vae("train", "--conf", conf(), "--root", root);
        assertOneLine(o, "error: cannot reach " + root + ": connection refused");
    }

    @Test
    void anUnknownHost() {
        String root = "hdfs://no-such-namenode.invalid:8020/vae";
        StageRuns.Outcome o = vae("evaluate", "--conf", conf(), "--root", root);
        assertOneLine(o, "error: cannot reach " + root + ": unknown host no-such-namenode.invalid");
    }

    private static StageRuns.Outcome vae(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--master", "local[2]"));
        return StageRuns.command(all.toArray(String[]::new));
    }

    private static void assertWaitedThenGaveUp(StageRuns.Outcome o, String uri) {
        List<String> lines = o.err().strip().lines().toList();
        assertEquals(1, o.code(), o.err());
        assertEquals(2, lines.size(), "a waiting line and the error line:\n" + o.err());
        assertEquals("waiting for " + silentUri() + " to answer (no answer after 5 s; gives up after 10 s;"
                + " --spark-conf spark.hadoop.ipc.client.rpc-timeout.ms=<ms> sets that)", lines.get(0));
        assertEquals("error: cannot reach " + uri + ": no answer within 10 s", lines.get(1));
    }

    private static void assertOneLine(StageRuns.Outcome o, String error) {
        assertEquals(1, o.code(), o.err());
        assertEquals(List.of(error), o.err().strip().lines().toList());
        assertFalse(o.err().contains("\tat "), "no stack trace");
        assertTrue(error.startsWith("error: "));
    }
}

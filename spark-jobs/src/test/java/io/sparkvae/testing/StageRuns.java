package io.sparkvae.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparkvae.cli.VaeMain;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Runs stages the way users do (through {@link VaeMain#run}) on a small prepared MNIST dataset in a temp root. */
public final class StageRuns {
    private StageRuns() {}

    /** A stage's exit code and what it printed. */
    public record Outcome(int code, String out, String err) {}

    /** A 200-per-split MNIST config with a 2-D latent space and cheap training, evaluation and render settings. */
    public static Path writeConf(Path dir) {
        String raw = TestData.rawDir().toString().replace("\\", "/");
        String body = "data { dataset = mnist, raw = \"" + raw + "\", limit = 200, partitions = 2 }\n"
                + "model { latent = 2, hidden = [32] }\n"
                // Two epochs, averaging after every minibatch: 2 minibatches of 100, so one round of 2 workers per epoch.
                + "train { epochs = 2, averaging-frequency = 1 }\n"
                + "evaluate { elbo-samples = 2, is-samples = 20 }\n"
                + "render { manifold-grid = 5, reconstructions = 12, samples = 16, scale = 2 }\n";
        try {
            Path conf = dir.resolve("tiny.conf");
            Files.writeString(conf, body);
            return conf;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Outcome vae(String stage, Path conf, Path root, String... extra) {
        List<String> args = new ArrayList<>(List.of(stage, "--conf", conf.toString(), "--root", root.toString(),
                "--master", "local[2]"));
        args.addAll(List.of(extra));
        return command(args.toArray(String[]::new));
    }

    /** Any {@code vae} command line, run in this JVM with its output captured. */
    public static Outcome command(String... args) {
        ConsoleRun.Outcome o = ConsoleRun.vae(args);
        return new Outcome(o.code(), o.out(), o.err());
    }

    /** Prepares the dataset of {@link #writeConf} under {@code root}. */
    public static void prepare(Path conf, Path root) {
        Outcome o = vae("prepare", conf, root);
        assertEquals(0, o.code(), o.err());
    }

    /** A root holding the prepared dataset of {@link #writeConf}, and that config. */
    public record Prepared(Path root, Path conf) {}

    private static Prepared shared;

    /**
     * Where the shared roots (and their configs) live starts with characters a URI must escape: a space, '#', '%' and
     * non-ASCII. Every stage test then shows that such paths work (a path turned into a URI unescaped fails there).
     */
    public static final String AWKWARD = "a dir #1 %41 é ";

    /**
     * One prepared root shared by every stage test in this JVM (preparing is the slow part); tests keep apart by
     * run name ({@code --set run.name=...}). Deleted when the JVM exits.
     */
    public static synchronized Prepared shared() {
        if (shared == null) {
            try {
                Path root = Files.createTempDirectory(AWKWARD + "vae-stage-tests");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(root)));
                Path conf = writeConf(root);
                prepare(conf, root);
                shared = new Prepared(root, conf);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return shared;
    }

    private static Prepared trained;

    /**
     * A root holding the {@link #shared()} dataset and a complete run {@code tiny} of it (every stage after prepare):
     * good earlier outputs for the reliability suites, built once per JVM. Read it, copy it; never change it.
     */
    public static synchronized Prepared trained() {
        if (trained == null) {
            try {
                Prepared data = shared();
                Path root = Files.createTempDirectory(AWKWARD + "vae-trained-run");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(root)));
                copyTree(data.root().resolve("datasets"), root.resolve("datasets"));
                for (String stage : List.of("train", "evaluate", "encode", "render", "generate", "export", "page")) {
                    Outcome o = vae(stage, data.conf(), root);
                    assertEquals(0, o.code(), stage + ": " + o.err());
                }
                trained = new Prepared(root, data.conf());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return trained;
    }

    /** Deletes a directory tree, best effort. */
    public static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // temp clean-up only
        }
    }

    /** Everything under {@code dir} whose name starts with {@code prefix} (e.g. leftovers of an aborted output). */
    public static List<Path> named(Path dir, String prefix) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith(prefix)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Copies a directory tree (to give a test its own damaged copy of a dataset). */
    public static void copyTree(Path from, Path to) {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

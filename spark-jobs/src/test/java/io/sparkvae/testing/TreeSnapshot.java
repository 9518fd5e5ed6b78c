package io.sparkvae.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Every path under a local folder with a digest of its content, to show that a run left earlier outputs untouched
 * (or rebuilt them identically): folders as {@code dir}, symbolic links by target, files by SHA-256 of their bytes,
 * or of what a {@link Content} function makes of them (to leave out what legitimately differs between runs).
 */
public final class TreeSnapshot {
    private TreeSnapshot() {}

    /** What a file's bytes are compared as; its relative path is given for choosing the rule. */
    @FunctionalInterface
    public interface Content {
        byte[] of(String relativePath, byte[] bytes) throws IOException;
    }

    /** Relative path to digest; exact bytes. A missing folder gives an empty map. */
    public static Map<String, String> exact(Path dir) {
        return of(dir, (p, bytes) -> bytes);
    }

    /**
     * Like {@link #exact} but a run's {@code events.jsonl} counts by presence only: every attempt of a stage, skipped
     * or refused, appends its lines there by design (it is the run's telemetry, see {@code StageEvents}), while
     * everything else a stage may write is an output.
     */
    public static Map<String, String> outputs(Path dir) {
        return of(dir, (rel, bytes) -> isEventLog(rel) ? new byte[0] : bytes);
    }

    /** Whether {@code relativePath} is a run's event log. */
    public static boolean isEventLog(String relativePath) {
        return relativePath.equals(EVENT_LOG) || relativePath.endsWith("/" + EVENT_LOG);
    }

    private static final String EVENT_LOG = "events.jsonl";

    /** Relative path (as {@code key} makes it) to the digest of {@code content}. */
    public static Map<String, String> of(Path dir, Content content) {
        Map<String, String> out = new TreeMap<>();
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return out;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.toList()) {
                String rel = dir.relativize(p).toString();
                if (Files.isSymbolicLink(p)) {
                    out.put(rel, "link " + Files.readSymbolicLink(p));
                } else if (Files.isDirectory(p)) {
                    out.put(rel, "dir");
                } else {
                    out.put(rel, sha256(content.of(rel, Files.readAllBytes(p))));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot snapshot " + dir, e);
        }
        return out;
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

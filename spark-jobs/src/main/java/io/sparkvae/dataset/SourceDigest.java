package io.sparkvae.dataset;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.apache.spark.api.java.JavaRDD;

/**
 * A content hash of a source made of many files or rows, computed on the executors: the sum modulo 2^256 of every
 * item's {@code SHA-256(id NUL SHA-256(content))}. A sum does not depend on the order the items are read in or how
 * they are partitioned, so the hash depends only on the ids and contents (never on timestamps).
 */
public final class SourceDigest {
    /** How the hash is made, recorded in the manifest next to it. */
    public static final String METHOD = "sum mod 2^256 of SHA-256(id NUL SHA-256(content)) over every item";

    private static final BigInteger MODULUS = BigInteger.ONE.shiftLeft(256);

    private SourceDigest() {}

    /** One item's digest. */
    public static byte[] item(String id, byte[] content) {
        MessageDigest md = sha256();
        md.update(id.getBytes(StandardCharsets.UTF_8));
        md.update((byte) 0);
        md.update(sha256().digest(content));
        return md.digest();
    }

    /** The sum of the items' digests as 64 hex digits. */
    public static String sum(JavaRDD<byte[]> items) {
        BigInteger total = items.map(d -> new BigInteger(1, d)).fold(BigInteger.ZERO, (a, b) -> a.add(b).mod(MODULUS));
        String hex = HexFormat.of().formatHex(total.toByteArray());
        hex = hex.length() > 64 ? hex.substring(hex.length() - 64) : hex;
        return "0".repeat(64 - hex.length()) + hex;
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

package io.sparkvae.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkvae.testing.LocalCluster;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * The shaded job jar against Spark's own classpath (the provided-scope jars a cluster has): a class in both is a
 * second copy that one side or the other loads by accident, so every one must be in {@link #ALLOWED}, with its reason.
 */
class JobJarClashIT {
    /** Class-name prefixes the job jar may share with Spark's jars, and why; empty while there is no such need. */
    static final Map<String, String> ALLOWED = Map.of();

    @Test
    void theJobJarHoldsNoClassThatSparkShipsUnlessAllowed() {
        Set<String> ours = classesIn(LocalCluster.jobJar());
        Map<String, String> sparkClassToJar = new TreeMap<>();
        List<String> sparkJars = List.of(LocalCluster.sparkClasspath().trim().split(File.pathSeparator));
        for (String jar : sparkJars) {
            String name = Path.of(jar).getFileName().toString();
            classesIn(Path.of(jar)).forEach(c -> sparkClassToJar.putIfAbsent(c, name));
        }
        assertTrue(sparkClassToJar.size() > 10_000, "Spark's classpath looks empty: " + sparkJars.size() + " jars");

        Map<String, Set<String>> clashesBySparkJar = new TreeMap<>();
        Set<String> allowedUsed = new TreeSet<>();
        for (String c : ours) {
            String sparkJar = sparkClassToJar.get(c);
            if (sparkJar == null) continue;
            String allowed = ALLOWED.keySet().stream().filter(c::startsWith).findFirst().orElse(null);
            if (allowed != null) allowedUsed.add(allowed);
            else clashesBySparkJar.computeIfAbsent(sparkJar, k -> new TreeSet<>()).add(c);
        }
        List<String> report = new ArrayList<>();
        clashesBySparkJar.forEach((jar, classes) -> report.add(jar + ": " + classes.size() + " classes, e.g. "
                + classes.stream().limit(3).toList()));
        System.out.println("job jar: " + ours.size() + " classes; Spark's classpath: " + sparkClassToJar.size()
                + " classes in " + sparkJars.size() + " jars; clashes outside the allow-list: " + report);
        assertEquals(List.of(), report, "classes in both the job jar and Spark's jars (relocate, exclude or allow with a reason)");
        assertEquals(ALLOWED.keySet(), allowedUsed, "allow-list entries that no longer match a clash");
    }

    @Test
    void theJobJarCarriesOneNativeBuildOfNd4j() {
        List<String> libnd4j = new ArrayList<>();
        forEachEntry(LocalCluster.jobJar(), e -> {
            if (e.getName().endsWith("/libnd4jcpu.so")) libnd4j.add(e.getName());
        });
        assertEquals(1, libnd4j.size(), "libnd4j builds in the job jar: " + libnd4j);
    }

    /**
     * The job jar's ceiling: under 120 MB for Linux x86-64 (issue 21). 94.3 MB of the jar are the native libraries
     * ND4J loads (libnd4jcpu 79.6 MB without its static symbol table, OpenBLAS and its LAPACK JNI 13.9 MB,
     * compressed), and what spark-jobs/pom.xml leaves out (each filter says why it is safe) brought it from 137.9 to
     * 119.6 MB.
     */
    static final long MAX_JOB_JAR_BYTES = 120_000_000L;

    @Test
    void theJobJarStaysLean() throws IOException {
        Path jar = LocalCluster.jobJar();
        long size = Files.size(jar);
        System.out.printf("job jar: %,d bytes (ceiling %,d)%n", size, MAX_JOB_JAR_BYTES);
        assertTrue(size <= MAX_JOB_JAR_BYTES, "the job jar grew to " + size + " bytes, above " + MAX_JOB_JAR_BYTES
                + ": unzip -lv it and leave out what the jar's platform never loads (spark-jobs/pom.xml, shade filters)");
        List<String> jna = new ArrayList<>();
        List<String> leftovers = new ArrayList<>();
        forEachEntry(jar, e -> {
            String n = e.getName();
            if (n.contains("jnidispatch.")) jna.add(n);
            if (n.endsWith(".h") || n.startsWith("org/tensorflow/") || n.startsWith("com/amazonaws/thirdparty/io/netty/"))
                leftovers.add(n);
        });
        assertEquals(1, jna.size(), "JNA dispatch libraries (one platform only): " + jna);
        assertEquals(List.of(), leftovers.stream().limit(5).toList(), "C headers, TensorFlow protos or the AWS SDK's Netty");
    }

    /** Class names ({@code a/b/C.class}) in a jar; multi-release copies count as the class they replace. */
    static Set<String> classesIn(Path jar) {
        Set<String> classes = new TreeSet<>();
        forEachEntry(jar, e -> {
            String n = e.getName();
            if (!n.endsWith(".class") || n.endsWith("module-info.class") || n.endsWith("package-info.class")) return;
            if (n.startsWith("META-INF/versions/")) n = n.substring(n.indexOf('/', "META-INF/versions/".length()) + 1);
            if (n.startsWith("META-INF/")) return;
            classes.add(n);
        });
        return classes;
    }

    private static void forEachEntry(Path jar, Consumer<ZipEntry> action) {
        if (!jar.toString().endsWith(".jar")) return; // class folders on the classpath hold no third-party code
        try (ZipFile z = new ZipFile(jar.toFile())) {
            for (Enumeration<? extends ZipEntry> en = z.entries(); en.hasMoreElements(); ) action.accept(en.nextElement());
        } catch (IOException e) {
            throw new UncheckedIOException(jar.toString(), e);
        }
    }
}

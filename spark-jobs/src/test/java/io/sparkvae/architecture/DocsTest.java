package io.sparkvae.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The docs (README.md and docs/*.md) name only classes, files and sections that exist: a class renamed or moved, a
 * script deleted or a heading reworded fails here, not in a reader's hands. No Spark; a few seconds.
 */
class DocsTest {
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final List<String> SOURCE_ROOTS = List.of("vae-model/src", "spark-jobs/src");
    /** Top-level folders whose backticked paths in the docs must exist. */
    private static final List<String> TRACKED_FOLDERS = List.of("vae-model/", "spark-jobs/", "scripts/", "conf/", "docs/");
    /**
     * Class names the docs mention that are neither this project's nor on the test classpath (from libraries it does
     * not depend on, or named as the upstream alternative). Add a name here only when it is not a class of ours.
     */
    private static final Set<String> ELSEWHERE = Set.of("PythonOperator", "SparkSubmitOperator",
            "AirflowFailException", "HdfsSensor", "FileSensor");

    private static final Pattern QUALIFIED = Pattern.compile("\\bio\\.sparkvae(?:\\.[A-Za-z_]\\w*)+");
    private static final Pattern CODE_SPAN = Pattern.compile("`([^`\\n]+)`");
    /** A code span that is a reference to a class or file: {@code Name}, {@code Name.java}, {@code pkg/Name#member}... */
    private static final Pattern REFERENCE = Pattern.compile(
            "(?:(?:[\\w.\\-]+|\\.\\.\\.|…)/)*([A-Z][A-Za-z0-9]*)(\\.java)?(?:[.#][\\w…]+)*(?:\\(\\))?…?");
    /**
     * Two humps at least (HadoopFiles, VaeModel, FSError), so words such as {@code Adam}, {@code ReLU} or {@code VmHWM}
     * are not taken for classes.
     */
    private static final Pattern CAMEL = Pattern.compile("[A-Z][a-z0-9]+[A-Z][a-z]\\w*|[A-Z]{2,}[a-z]\\w*");
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    private static final Pattern HEADING = Pattern.compile("(?m)^#{1,6} (.+)$");

    @Test
    void qualifiedClassNamesInTheDocsExist() {
        List<String> missing = new ArrayList<>();
        forEachDoc((doc, text) -> {
            Matcher m = QUALIFIED.matcher(text);
            while (m.find()) {
                if (!qualifiedExists(m.group())) {
                    missing.add(REPO.relativize(doc) + ": " + m.group());
                }
            }
        });
        assertEquals(List.of(), missing, "the docs name classes or packages that are not in the source tree");
    }

    @Test
    void backtickedClassNamesInTheDocsExist() {
        Set<String> ours = projectTypes();
        Set<String> known = new HashSet<>(ours);
        known.addAll(classpathTypes());
        known.addAll(ELSEWHERE);
        List<String> missing = new ArrayList<>();
        forEachDoc((doc, text) -> {
            Matcher span = CODE_SPAN.matcher(text);
            while (span.find()) {
                Matcher ref = REFERENCE.matcher(span.group(1));
                if (!ref.matches()) {
                    continue;
                }
                String name = ref.group(1);
                boolean javaFile = ref.group(2) != null;
                if (javaFile ? !ours.contains(name) : CAMEL.matcher(name).matches() && !known.contains(name)) {
                    missing.add(REPO.relativize(doc) + ": `" + span.group(1) + "`");
                }
            }
        });
        assertEquals(List.of(), missing, "the docs name classes that exist neither in the source tree nor on the classpath"
                + " (a class renamed or moved? an outside class: add it to DocsTest.ELSEWHERE)");
    }

    @Test
    void backtickedRepositoryPathsExist() {
        List<String> missing = new ArrayList<>();
        forEachDoc((doc, text) -> {
            Matcher span = CODE_SPAN.matcher(text);
            while (span.find()) {
                String path = span.group(1).split(" ")[0];
                boolean tracked = TRACKED_FOLDERS.stream().anyMatch(path::startsWith);
                boolean pattern = path.contains("...") || path.contains("…") || path.contains("<") || path.contains("*")
                        || path.contains("{") || path.contains("/target/");
                if (tracked && !pattern && !Files.exists(REPO.resolve(path))) {
                    missing.add(REPO.relativize(doc) + ": `" + path + "`");
                }
            }
        });
        assertEquals(List.of(), missing, "the docs name files that are not in the repository");
    }

    @Test
    void relativeLinksInTheDocsPointToFilesAndHeadingsThatExist() {
        List<String> broken = new ArrayList<>();
        forEachDoc((doc, text) -> {
            Matcher m = LINK.matcher(text);
            while (m.find()) {
                String target = m.group(1);
                if (target.matches("^[a-z]+:.*")) {
                    continue; // http:, https:, mailto:
                }
                int hash = target.indexOf('#');
                String file = hash < 0 ? target : target.substring(0, hash);
                Path resolved = file.isEmpty() ? doc : doc.getParent().resolve(file).normalize();
                if (!Files.exists(resolved)) {
                    broken.add(REPO.relativize(doc) + ": " + target + " (no such file)");
                } else if (hash >= 0 && resolved.toString().endsWith(".md")
                        && !anchors(read(resolved)).contains(target.substring(hash + 1))) {
                    broken.add(REPO.relativize(doc) + ": " + target + " (no such heading)");
                }
            }
        });
        assertEquals(List.of(), broken, "broken relative links in the docs");
    }

    /** README.md and docs/*.md (not docs/journal/: dated notes may name what has gone since). */
    private static List<Path> docs() {
        List<Path> docs = new ArrayList<>(List.of(REPO.resolve("README.md")));
        try (Stream<Path> files = Files.list(REPO.resolve("docs"))) {
            files.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return docs;
    }

    private interface DocVisitor {
        void visit(Path doc, String text);
    }

    private static void forEachDoc(DocVisitor visitor) {
        for (Path doc : docs()) {
            visitor.visit(doc, read(doc));
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** GitHub's anchors of a Markdown file's headings: lower case, punctuation dropped, spaces as hyphens. */
    static Set<String> anchors(String markdown) {
        Set<String> anchors = new HashSet<>();
        Matcher m = HEADING.matcher(markdown);
        while (m.find()) {
            anchors.add(m.group(1).strip().toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-'));
        }
        return anchors;
    }

    /** A package (a folder under a source root) or a class in one; what follows a class (members, nested types) is not checked. */
    private static boolean qualifiedExists(String name) {
        String[] parts = name.split("\\.");
        StringBuilder path = new StringBuilder();
        for (String part : parts) {
            if (part.equals("_")) {
                return true; // a Scala wildcard import of the package so far
            }
            boolean type = Character.isUpperCase(part.charAt(0));
            String candidate = path + (path.length() == 0 ? "" : "/") + part;
            if (type) {
                return sourceFile(candidate + ".java");
            }
            if (!sourceFolder(candidate)) {
                return false;
            }
            path.setLength(0);
            path.append(candidate);
        }
        return true;
    }

    private static boolean sourceFolder(String relative) {
        return sourceDirs().stream().anyMatch(d -> Files.isDirectory(d.resolve(relative)));
    }

    private static boolean sourceFile(String relative) {
        return sourceDirs().stream().anyMatch(d -> Files.isRegularFile(d.resolve(relative)));
    }

    /** Every {@code src/<set>/java} folder of both modules. */
    private static List<Path> sourceDirs() {
        List<Path> dirs = new ArrayList<>();
        for (String root : SOURCE_ROOTS) {
            try (Stream<Path> sets = Files.list(REPO.resolve(root))) {
                sets.map(s -> s.resolve("java")).filter(Files::isDirectory).forEach(dirs::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return dirs;
    }

    /** Simple names of every type declared in the source tree, nested ones included. */
    private static Set<String> projectTypes() {
        Pattern declaration = Pattern.compile("\\b(?:class|interface|record|enum)\\s+([A-Z]\\w*)");
        Set<String> names = new TreeSet<>();
        for (Path dir : sourceDirs()) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.filter(p -> p.toString().endsWith(".java")).forEach(p -> {
                    names.add(p.getFileName().toString().replace(".java", ""));
                    Matcher m = declaration.matcher(read(p));
                    while (m.find()) {
                        names.add(m.group(1));
                    }
                });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return names;
    }

    /** Simple names of the classes on the test classpath and in the JDK, so the docs may name library classes. */
    private static Set<String> classpathTypes() {
        Set<String> names = new HashSet<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (entry.endsWith(".jar") && new File(entry).isFile()) {
                try (JarFile jar = new JarFile(entry)) {
                    for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
                        addClass(names, e.nextElement().getName());
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(entry, e);
                }
            }
        }
        try {
            FileSystem jrt = FileSystems.getFileSystem(URI.create("jrt:/"));
            try (Stream<Path> all = Files.walk(jrt.getPath("/modules"))) {
                all.forEach(p -> addClass(names, p.toString()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return names;
    }

    private static void addClass(Set<String> names, String entry) {
        if (entry.endsWith(".class")) {
            String simple = entry.substring(entry.lastIndexOf('/') + 1, entry.length() - ".class".length());
            names.add(simple.contains("$") ? simple.substring(simple.lastIndexOf('$') + 1) : simple);
        }
    }
}

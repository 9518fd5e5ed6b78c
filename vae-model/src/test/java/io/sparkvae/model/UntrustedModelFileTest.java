package io.sparkvae.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkvae.io.BadInputException;
import io.sparkvae.io.HadoopFiles;
import io.sparkvae.model.canarydns.Handler;
import io.sparkvae.provenance.Provenance;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model file is data from anywhere (shared storage, downloads): loading it never runs code from it, never resolves a
 * class it names, and never inflates more than its spec's network can hold. The payloads are the real ones: a
 * serialized object whose class runs code, a URLDNS gadget, a HashSet bomb, a zip bomb.
 */
class UntrustedModelFileTest {
    static volatile boolean trapInitialised;
    static volatile boolean trapRead;
    static volatile boolean configTrapInitialised;

    @TempDir
    java.nio.file.Path tmp;

    private final HadoopFiles files = HadoopFiles.withDefaults();

    /** Serialized in the test; its name is then swapped for {@link Trapp}'s, which the test never touches itself. */
    static final class Decoy implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    /** Runs code when deserialized: the class a hostile {@code preprocessor.bin} names. */
    static final class Trapp implements Serializable {
        private static final long serialVersionUID = 1L;

        static {
            trapInitialised = true;
        }

        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            in.defaultReadObject();
            trapRead = true;
        }
    }

    /** A class a hostile {@code configuration.json} names as its layer. */
    static final class ConfigTrap {
        static {
            configTrapInitialised = true;
        }
    }

    @Test
    void anEntryNamingAClassIsRefusedAndTheClassNeverRuns() throws Exception {
        // Streams were opened before any model loads (Spark's tasks do): the guard must still take effect after that.
        assertEquals(java.util.List.of(1), readObject(serialized(new java.util.ArrayList<>(java.util.List.of(1)))));
        byte[] payload = serialized(new Decoy());
        payload = replace(payload, Decoy.class.getName(), "io.sparkvae.model.UntrustedModelFileTest$Trapp");
        Path model = modelWith(Map.of("preprocessor.bin", payload));

        BadInputException e = assertThrows(BadInputException.class, () -> VaeStore.load(model, files));
        assertNamesEntry(e, "preprocessor.bin", model);
        assertFalse(trapInitialised || trapRead, "the class the file names was initialised");

        // Any ObjectInputStream a library might still open while a model loads is refused too.
        assertTrue(DeserializationGuard.installed());
        byte[] bytes = payload;
        assertRefused(() -> DeserializationGuard.refusingJavaObjects(() -> readObject(bytes)));
        assertFalse(trapInitialised || trapRead, "the guarded stream ran the class");

        // The payload is live: unguarded, a plain ObjectInputStream (what DL4J's loader does) runs it.
        readObject(bytes);
        assertTrue(trapInitialised && trapRead, "the payload did not run: this test proves nothing");
    }

    @Test
    void aUrldnsGadgetIsRefusedWithoutAnyLookup() throws Exception {
        System.setProperty("java.protocol.handler.pkgs", "io.sparkvae.model");
        HashMap<URL, String> gadget = new HashMap<>();
        URL url = new URL("canarydns://gadget-host.example/");
        gadget.put(url, "x");
        resetCachedHash(url);
        byte[] payload = serialized(gadget);
        Handler.LOOKUPS.clear();
        Path model = modelWith(Map.of("preprocessor.bin", payload));

        BadInputException e = assertThrows(BadInputException.class, () -> VaeStore.load(model, files));
        assertNamesEntry(e, "preprocessor.bin", model);
        assertEquals(java.util.List.of(), Handler.LOOKUPS, "the file made the JVM look a host up");
        assertRefused(() -> DeserializationGuard.refusingJavaObjects(() -> readObject(payload)));
        assertEquals(java.util.List.of(), Handler.LOOKUPS, "the guarded stream looked a host up");

        readObject(payload);
        assertEquals(java.util.List.of("gadget-host.example"), Handler.LOOKUPS, "the gadget is not live: this test proves nothing");
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hang fails, not blocks
    void aHashSetBombIsRefusedInsteadOfHanging() throws Exception {
        Path model = modelWith(Map.of("preprocessor.bin", serialized(hashSetBomb(100))));
        BadInputException e = assertThrows(BadInputException.class, () -> VaeStore.load(model, files));
        assertNamesEntry(e, "preprocessor.bin", model);
        byte[] bomb = serialized(hashSetBomb(100));
        assertRefused(() -> DeserializationGuard.refusingJavaObjects(() -> readObject(bomb)));
    }

    @Test
    void aConfigurationNamingAnotherClassIsRefusedUnresolved() throws Exception {
        Path model = modelWith(Map.of());
        java.nio.file.Path zip = local(model).resolve(VaeStore.MODEL);
        Map<String, byte[]> entries = entries(Files.readAllBytes(zip));
        String json = new String(entries.get(ModelFile.CONFIGURATION), StandardCharsets.UTF_8);
        assertTrue(json.contains("io.sparkvae.model.VaeLayer"), json);
        entries.put(ModelFile.CONFIGURATION, json.replace("io.sparkvae.model.VaeLayer", ConfigTrap.class.getName())
                .getBytes(StandardCharsets.UTF_8));
        overwrite(zip, zipOf(entries, Deflater.DEFAULT_COMPRESSION));

        BadInputException e = assertThrows(BadInputException.class, () -> VaeStore.load(model, files));
        assertTrue(e.getMessage().contains(ModelFile.CONFIGURATION) && e.getMessage().contains(ConfigTrap.class.getName())
                && e.getMessage().contains(zip.toString()), e.getMessage());
        assertFalse(configTrapInitialised, "the class the configuration names was initialised");
    }

    @Test
    void aZipBombIsRefusedAtTheSpecsBound() throws Exception {
        Path model = modelWith(Map.of());
        java.nio.file.Path zip = local(model).resolve(VaeStore.MODEL);
        Map<String, byte[]> entries = entries(Files.readAllBytes(zip));
        long limit = ModelFile.entryLimits(TestData.spec("relu")).get(ModelFile.COEFFICIENTS);
        entries.put(ModelFile.COEFFICIENTS, new byte[64 << 20]); // 64 MB of zeros: about 64 KB deflated
        overwrite(zip, zipOf(entries, Deflater.BEST_COMPRESSION));
        assertTrue(Files.size(zip) < (1 << 20), "the bomb is small on disk: " + Files.size(zip));

        BadInputException e = assertThrows(BadInputException.class, () -> VaeStore.load(model, files));
        assertTrue(e.getMessage().startsWith("corrupt model file ") && e.getMessage().contains(zip.toString()) && e.getMessage().contains(ModelFile.COEFFICIENTS)
                && e.getMessage().contains("inflates past " + limit), e.getMessage());
    }

    @Test
    void aSpecOfAbsurdSizeIsRefusedBeforeTheModelFileIsRead() throws Exception {
        Path model = modelWith(Map.of());
        java.nio.file.Path spec = local(model).resolve(VaeStore.SPEC);
        overwrite(spec, Files.readString(spec).replace("\"inputSize\" : 64", "\"inputSize\" : 2000000000").getBytes(StandardCharsets.UTF_8));
        BadInputException e = assertThrows(BadInputException.class, () -> VaeStore.load(model, files));
        assertTrue(e.getMessage().startsWith("corrupt model spec ") && e.getMessage().contains(spec.toString()) && e.getMessage().contains("more than this tool loads"),
                e.getMessage());
    }

    @Test
    void entriesThisToolWritesStillLoadAndWrongArraysAreRefused() throws Exception {
        Path model = modelWith(Map.of());
        assertEquals(TestData.spec("relu"), VaeStore.load(model, files).vae().spec());
        java.nio.file.Path zip = local(model).resolve(VaeStore.MODEL);
        Map<String, byte[]> entries = entries(Files.readAllBytes(zip));
        byte[] coefficients = entries.get(ModelFile.COEFFICIENTS);
        entries.put(ModelFile.COEFFICIENTS, java.util.Arrays.copyOf(coefficients, coefficients.length - 4));
        overwrite(zip, zipOf(entries, Deflater.DEFAULT_COMPRESSION));
        BadInputException e = assertThrows(BadInputException.class, () -> VaeStore.load(model, files));
        assertTrue(e.getMessage().contains(ModelFile.COEFFICIENTS) && e.getMessage().contains(zip.toString()), e.getMessage());
    }

    /** The deserialization filter refused the stream (InvalidClassException: "filter status: REJECTED"). */
    private static void assertRefused(org.junit.jupiter.api.function.Executable read) {
        java.io.UncheckedIOException e = assertThrows(java.io.UncheckedIOException.class, read);
        assertTrue(e.getCause() instanceof InvalidClassException && e.getCause().getMessage().contains("REJECTED"), e.toString());
    }

    private static void assertNamesEntry(BadInputException e, String entry, Path model) {
        assertTrue(e.getMessage().contains("'" + entry + "'") && e.getMessage().contains(new Path(model, VaeStore.MODEL).toString()),
                e.getMessage());
    }

    /** A committed model of {@link TestData#spec} whose zip also holds {@code extra}. */
    private Path modelWith(Map<String, byte[]> extra) throws IOException {
        Path model = files.path(tmp.resolve("model").toString());
        VaeStore.saveCommitted(Vae.create(TestData.spec("relu")), Provenance.of("unit", Map.of(), 1, null), model, files, false);
        java.nio.file.Path zip = local(model).resolve(VaeStore.MODEL);
        Map<String, byte[]> entries = entries(Files.readAllBytes(zip));
        assertEquals(java.util.List.of(ModelFile.CONFIGURATION, ModelFile.COEFFICIENTS, ModelFile.UPDATER_STATE),
                java.util.List.copyOf(entries.keySet()), "what ModelSerializer.writeModel writes");
        entries.putAll(extra);
        overwrite(zip, zipOf(entries, Deflater.DEFAULT_COMPRESSION));
        return model;
    }

    /** Replaces a file as someone else's copy arrives: without Hadoop's local checksum file. */
    private static void overwrite(java.nio.file.Path file, byte[] bytes) throws IOException {
        Files.write(file, bytes);
        Files.deleteIfExists(file.resolveSibling("." + file.getFileName() + ".crc"));
    }

    private java.nio.file.Path local(Path p) {
        return java.nio.file.Path.of(p.toUri());
    }

    private static Map<String, byte[]> entries(byte[] zip) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                entries.put(e.getName(), in.readAllBytes());
            }
        }
        return entries;
    }

    private static byte[] zipOf(Map<String, byte[]> entries, int level) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            out.setLevel(level);
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                out.putNextEntry(new ZipEntry(e.getKey()));
                out.write(e.getValue());
                out.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static byte[] serialized(Object o) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        }
        return bytes.toByteArray();
    }

    private static Object readObject(byte[] bytes) {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            return in.readObject();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Swaps one class name of the same length for another in a serialized stream. */
    private static byte[] replace(byte[] stream, String from, String to) {
        assertEquals(from.length(), to.length());
        String s = new String(stream, StandardCharsets.ISO_8859_1);
        assertTrue(s.contains(from));
        return s.replace(from, to).getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Clears the URL's cached hash, as a URLDNS gadget does, so that deserializing the map hashes it again. */
    private static void resetCachedHash(URL url) throws ReflectiveOperationException {
        var field = URL.class.getDeclaredField("hashCode");
        field.setAccessible(true);
        field.setInt(url, -1);
    }

    /** Nested sets whose deserialization hashes 2^depth times. */
    private static Set<Object> hashSetBomb(int depth) {
        Set<Object> root = new HashSet<>();
        Set<Object> s1 = root;
        Set<Object> s2 = new HashSet<>();
        for (int i = 0; i < depth; i++) {
            Set<Object> t1 = new HashSet<>();
            Set<Object> t2 = new HashSet<>();
            t1.add("bomb");
            s1.add(t1);
            s1.add(t2);
            s2.add(t1);
            s2.add(t2);
            s1 = t1;
            s2 = t2;
        }
        return root;
    }
}

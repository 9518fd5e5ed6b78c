package io.sparkvae.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkvae.io.BadInputException;
import io.sparkvae.io.HadoopFiles;
import io.sparkvae.io.Json;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Writes and reads a {@code model.zip}: the three entries of DL4J's {@code ModelSerializer} format (so DL4J reads the
 * file too), read as data, never as code: each inflated no further than a model of the spec can need; the network is
 * built from the spec (the file's configuration must be exactly that one), so no class name in the file is ever
 * resolved.
 */
final class ModelFile {
    static final String CONFIGURATION = "configuration.json";
    static final String COEFFICIENTS = "coefficients.bin";
    static final String UPDATER_STATE = "updaterState.bin";
    /** Largest model this tool loads: about 0.5 GB of parameters, far above any VAE it trains. */
    static final long MAX_PARAMETERS = 1L << 27;
    /** Room for an array's headers and shape record around its values. */
    private static final long ARRAY_OVERHEAD = 4096;
    private static final long MAX_CONFIGURATION_BYTES = 1 << 20;

    private ModelFile() {
    }

    /**
     * Writes {@code net} as a model zip, with its optimiser state when {@code withUpdater}. The entries are stored, not
     * deflated: deflating a trained punks model's 21 MB of parameters and Adam state took 0.8 s, after every epoch's
     * checkpoint, to save a tenth of the bytes.
     */
    static void write(MultiLayerNetwork net, boolean withUpdater, OutputStream out) throws IOException {
        ZipOutputStream zip = new ZipOutputStream(out);
        zip.setLevel(Deflater.NO_COMPRESSION);
        zip.putNextEntry(new ZipEntry(CONFIGURATION));
        zip.write(net.getLayerWiseConfigurations().toJson().getBytes(StandardCharsets.UTF_8));
        DataOutputStream arrays = new DataOutputStream(new BufferedOutputStream(zip, 1 << 16));
        zip.putNextEntry(new ZipEntry(COEFFICIENTS));
        Nd4j.write(net.params(), arrays);
        arrays.flush();
        INDArray state = withUpdater && net.getUpdater() != null ? net.getUpdater().getStateViewArray() : null;
        if (state != null && state.length() > 0) {
            zip.putNextEntry(new ZipEntry(UPDATER_STATE));
            Nd4j.write(state, arrays);
            arrays.flush();
        }
        zip.finish();
    }

    /** The most bytes each entry may inflate to for {@code spec} (Adam keeps two values per parameter). */
    static Map<String, Long> entryLimits(VaeSpec spec) {
        long parameters = requireLoadable(spec);
        Map<String, Long> limits = new LinkedHashMap<>();
        limits.put(CONFIGURATION, MAX_CONFIGURATION_BYTES);
        limits.put(COEFFICIENTS, parameters * Float.BYTES + ARRAY_OVERHEAD);
        limits.put(UPDATER_STATE, 2 * parameters * Float.BYTES + ARRAY_OVERHEAD);
        return limits;
    }

    /** The spec's parameter count, refusing sizes whose count could overflow or exceed {@link #MAX_PARAMETERS}. */
    static long requireLoadable(VaeSpec spec) {
        boolean sane = spec.inputSize() <= MAX_PARAMETERS && spec.latentSize() <= MAX_PARAMETERS
                && spec.hiddenSizes().size() <= 64 && spec.hiddenSizes().stream().allMatch(h -> h <= MAX_PARAMETERS);
        long parameters = sane ? spec.parameterCount() : -1;
        if (parameters <= 0 || parameters > MAX_PARAMETERS) {
            throw new BadInputException("model spec describes a network of " + (sane ? parameters + " parameters" : "absurd sizes")
                    + ", more than this tool loads (" + MAX_PARAMETERS + ")");
        }
        return parameters;
    }

    /** The network in {@code modelPath}, which must hold a model of {@code spec}. */
    static Vae read(Path modelPath, VaeSpec spec, HadoopFiles files) {
        Map<String, Long> limits = entryLimits(spec);
        long total = limits.values().stream().mapToLong(Long::longValue).sum();
        long size = length(modelPath, files);
        if (size > total + ARRAY_OVERHEAD) {
            throw corrupt(modelPath, "it is " + size + " bytes, more than a model of " + spec.parameterCount()
                    + " parameters can take (" + total + ")");
        }
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (InputStream raw = files.open(modelPath); ZipInputStream zip = new ZipInputStream(raw)) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                String name = e.getName();
                if (!limits.containsKey(name)) {
                    throw new BadInputException("model file " + modelPath + " holds an entry '" + name
                            + "' that this tool never writes; refusing to load it (a model file is read as data only)");
                }
                if (entries.containsKey(name)) {
                    throw corrupt(modelPath, "entry '" + name + "' appears twice");
                }
                entries.put(name, inflate(zip, limits.get(name), name, modelPath, spec));
            }
        } catch (IOException e) {
            throw corrupt(modelPath, e.getMessage());
        }
        for (String required : new String[] {CONFIGURATION, COEFFICIENTS}) {
            if (!entries.containsKey(required)) {
                throw corrupt(modelPath, "no '" + required + "' entry");
            }
        }
        return build(modelPath, spec, entries);
    }

    static long length(Path p, HadoopFiles files) {
        try {
            return files.fs(p).getFileStatus(p).getLen();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read the size of " + p, e);
        }
    }

    /** The entry's bytes, refusing it as soon as it inflates past {@code limit} (a zip bomb stops there). */
    private static byte[] inflate(ZipInputStream zip, long limit, String name, Path modelPath, VaeSpec spec) throws IOException {
        byte[] bytes = zip.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
        if (bytes.length > limit) {
            throw corrupt(modelPath, "entry '" + name + "' inflates past " + limit + " bytes, more than a model of "
                    + spec.parameterCount() + " parameters holds");
        }
        return bytes;
    }

    private static Vae build(Path modelPath, VaeSpec spec, Map<String, byte[]> entries) {
        MultiLayerConfiguration conf = configuration(modelPath, spec, entries.get(CONFIGURATION));
        long parameters = spec.parameterCount();
        INDArray params = ModelArrayBytes.readFloatRow(entries.get(COEFFICIENTS), parameters,
                "model file " + modelPath + " entry '" + COEFFICIENTS + "'");
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init(params, false);
        byte[] updater = entries.get(UPDATER_STATE);
        if (updater != null && net.getUpdater() != null && net.getUpdater().getStateViewArray() != null) {
            long stateLength = net.getUpdater().getStateViewArray().length();
            INDArray state = ModelArrayBytes.readFloatRow(updater, stateLength,
                    "model file " + modelPath + " entry '" + UPDATER_STATE + "'");
            net.getUpdater().setStateViewArray(net, state, false);
        } else if (updater != null) {
            throw corrupt(modelPath, "entry '" + UPDATER_STATE + "' holds state for an optimiser without any");
        }
        return Vae.wrap(net);
    }

    /**
     * The spec's configuration with the file's iteration and epoch counters (which training advances); any other
     * difference from the file's configuration is refused, so the file's JSON never reaches a class-resolving parser.
     */
    private static MultiLayerConfiguration configuration(Path modelPath, VaeSpec spec, byte[] json) {
        JsonNode file;
        try {
            file = Json.mapper().readTree(json);
        } catch (IOException e) {
            throw corrupt(modelPath, "its " + CONFIGURATION + " is not JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        MultiLayerConfiguration conf = Vae.configuration(spec);
        conf.setIterationCount(counter(file, "iterationCount", modelPath));
        conf.setEpochCount(counter(file, "epochCount", modelPath));
        JsonNode layers = file.path("confs");
        if (layers.size() == conf.getConfs().size()) {
            for (int i = 0; i < layers.size(); i++) {
                NeuralNetConfiguration layer = conf.getConf(i);
                layer.setIterationCount(counter(layers.get(i), "iterationCount", modelPath));
                layer.setEpochCount(counter(layers.get(i), "epochCount", modelPath));
            }
        }
        JsonNode expected;
        try {
            expected = Json.mapper().readTree(conf.toJson());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read back the configuration of " + spec, e);
        }
        String difference = JsonDifference.first(expected, file, "");
        if (difference != null) {
            throw new BadInputException("model file " + modelPath + ": its " + CONFIGURATION + " is not the network of "
                    + VaeStore.SPEC + " (" + difference + ")");
        }
        return conf;
    }

    private static int counter(JsonNode node, String field, Path modelPath) {
        JsonNode value = node instanceof ObjectNode ? node.get(field) : null;
        if (value == null) {
            return 0; // absent: the comparison with the spec's configuration reports it
        }
        if (!value.canConvertToInt() || !value.isIntegralNumber() || value.intValue() < 0) {
            throw corrupt(modelPath, "its " + CONFIGURATION + " has " + field + " " + value);
        }
        return value.intValue();
    }

    private static BadInputException corrupt(Path modelPath, String why) {
        return new BadInputException("corrupt model file " + modelPath + ": " + why);
    }
}

package io.sparkvae.model;

import io.sparkvae.io.BadInputException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The architecture and optimiser of one VAE: everything needed to rebuild its network from scratch.
 *
 * @param inputSize    pixels per image (784 for MNIST, 1728 for 24x24 RGB punks)
 * @param hiddenSizes  encoder hidden layer widths, input side first; the decoder mirrors them
 * @param latentSize   dimension of z
 * @param activation   hidden activation: {@code relu} or {@code tanh}
 * @param weightInit   {@code xavier} (Glorot normal, zero biases) or {@code normal} (every parameter N(0, 0.01^2), the
 *                     paper's initialisation)
 * @param optimizer    {@code adam} or {@code adagrad}
 * @param learningRate step size of the optimiser
 * @param seed         seeds parameter initialisation
 */
public record VaeSpec(int inputSize, List<Integer> hiddenSizes, int latentSize, String activation, String weightInit,
                      String optimizer, double learningRate, long seed) implements java.io.Serializable {

    public static final List<String> ACTIVATIONS = List.of("relu", "tanh");
    public static final List<String> WEIGHT_INITS = List.of("xavier", "normal");
    public static final List<String> OPTIMIZERS = List.of("adam", "adagrad");

    public VaeSpec {
        if (inputSize <= 0) {
            throw new BadInputException("inputSize must be positive, got " + inputSize);
        }
        if (hiddenSizes == null || hiddenSizes.isEmpty()) {
            throw new BadInputException("hiddenSizes must list at least one hidden layer width");
        }
        for (Integer h : hiddenSizes) {
            if (h == null || h <= 0) {
                throw new BadInputException("hiddenSizes must be positive integers, got " + hiddenSizes);
            }
        }
        hiddenSizes = List.copyOf(hiddenSizes);
        if (latentSize <= 0) {
            throw new BadInputException("latentSize must be positive, got " + latentSize);
        }
        activation = oneOf("activation", activation, ACTIVATIONS);
        weightInit = oneOf("weightInit", weightInit, WEIGHT_INITS);
        optimizer = oneOf("optimizer", optimizer, OPTIMIZERS);
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new BadInputException("learningRate must be a positive finite number, got " + learningRate);
        }
    }

    /** The paper's MNIST model with this project's defaults: ReLU, Xavier, Adam 1e-3. */
    public static VaeSpec defaults(int inputSize, List<Integer> hiddenSizes, int latentSize, long seed) {
        return new VaeSpec(inputSize, hiddenSizes, latentSize, "relu", "xavier", "adam", 1e-3, seed);
    }

    /** How many parameters (weights and biases) the network of this spec has. */
    public long parameterCount() {
        return new VaeParameterLayout(inputSize, hiddenSizes.stream().mapToInt(Integer::intValue).toArray(), latentSize).numParams;
    }

    /** A JSON-friendly map (the keys are the component names); {@link #fromMap(Map)} reads it back. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("inputSize", inputSize);
        m.put("hiddenSizes", hiddenSizes);
        m.put("latentSize", latentSize);
        m.put("activation", activation);
        m.put("weightInit", weightInit);
        m.put("optimizer", optimizer);
        m.put("learningRate", learningRate);
        m.put("seed", seed);
        return m;
    }

    /**
     * Reads a map as written by {@link #toMap()} (or a parsed config block). Missing optional keys take the defaults
     * (relu, xavier, adam, 1e-3, seed 0); missing sizes are an error naming the key.
     */
    public static VaeSpec fromMap(Map<String, ?> m) {
        if (m == null) {
            throw new BadInputException("model spec is missing");
        }
        return new VaeSpec(
                intValue(m, "inputSize", null),
                intList(m, "hiddenSizes"),
                intValue(m, "latentSize", null),
                stringValue(m, "activation", "relu"),
                stringValue(m, "weightInit", "xavier"),
                stringValue(m, "optimizer", "adam"),
                doubleValue(m, "learningRate", 1e-3),
                longValue(m, "seed", 0L));
    }

    private static String oneOf(String field, String value, List<String> allowed) {
        String v = value == null ? null : value.trim().toLowerCase(Locale.ROOT);
        if (v == null || !allowed.contains(v)) {
            throw new BadInputException(field + " must be one of " + allowed + ", got " + value);
        }
        return v;
    }

    private static Object required(Map<String, ?> m, String key) {
        Object v = m.get(key);
        if (v == null) {
            throw new BadInputException("model spec is missing " + key);
        }
        return v;
    }

    private static int intValue(Map<String, ?> m, String key, Integer dflt) {
        Object v = dflt != null && m.get(key) == null ? dflt : required(m, key);
        long l = toLong(key, v);
        if (l != (int) l) {
            throw new BadInputException(key + " is out of range: " + v);
        }
        return (int) l;
    }

    private static long longValue(Map<String, ?> m, String key, long dflt) {
        Object v = m.get(key);
        return v == null ? dflt : toLong(key, v);
    }

    private static long toLong(String key, Object v) {
        if (v instanceof Number n) {
            if (n.doubleValue() != Math.rint(n.doubleValue())) {
                throw new BadInputException(key + " must be an integer, got " + v);
            }
            return n.longValue();
        }
        try {
            return Long.parseLong(v.toString().trim());
        } catch (NumberFormatException e) {
            throw new BadInputException(key + " must be an integer, got " + v);
        }
    }

    private static double doubleValue(Map<String, ?> m, String key, double dflt) {
        Object v = m.get(key);
        if (v == null) {
            return dflt;
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        try {
            return Double.parseDouble(v.toString().trim());
        } catch (NumberFormatException e) {
            throw new BadInputException(key + " must be a number, got " + v);
        }
    }

    private static String stringValue(Map<String, ?> m, String key, String dflt) {
        Object v = m.get(key);
        return v == null ? dflt : v.toString();
    }

    private static List<Integer> intList(Map<String, ?> m, String key) {
        Object v = required(m, key);
        if (v instanceof Number) {
            return List.of((int) toLong(key, v));
        }
        if (!(v instanceof List<?> list)) {
            throw new BadInputException(key + " must be a list of integers, got " + v);
        }
        return list.stream().map(o -> {
            if (o == null) {
                throw new BadInputException(key + " must be a list of integers, got " + v);
            }
            long l = toLong(key, o);
            if (l != (int) l) {
                throw new BadInputException(key + " is out of range: " + v);
            }
            return (int) l;
        }).toList();
    }
}

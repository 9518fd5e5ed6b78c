package io.sparkvae.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import io.sparkvae.io.BadInputException;
import io.sparkvae.io.HadoopFiles;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.Path;

/**
 * The project's one config loader: parses a HOCON job config, layers {@code --set} overrides on top and the
 * defaults ({@code io/sparkvae/defaults.conf}) beneath, refuses unknown keys, wrong types and out-of-range
 * values with a one-line message naming the key, and returns a typed {@link JobConfig}.
 */
public final class JobConfigLoader {
    private static final Pattern BARE_URI = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*://\\S*");
    private static final Pattern RUN_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    private static final Config DEFAULTS = ConfigFactory.parseResources(
            JobConfigLoader.class, "/io/sparkvae/defaults.conf",
            ConfigParseOptions.defaults().setAllowMissing(false).setSyntax(ConfigSyntax.CONF));

    private JobConfigLoader() {}

    /**
     * Loads the config file at {@code conf} (a local path or Hadoop URI); the run name defaults to the file's stem.
     *
     * @param overrides {@code key=value} pairs from the command line, applied last
     */
    public static JobConfig loadFile(HadoopFiles files, String conf, List<String> overrides) {
        Path path = files.path(conf);
        files.requireFile(path, "config file");
        String name = path.getName();
        String stem = name.endsWith(".conf") ? name.substring(0, name.length() - ".conf".length()) : name;
        return load(files.readString(path), conf, stem, overrides);
    }

    /**
     * Loads a config from HOCON text.
     *
     * @param text      the config file's contents
     * @param origin    where it came from (for messages), e.g. {@code conf/mnist-z2.conf}
     * @param stem      the default run name (the file's stem)
     * @param overrides {@code key=value} pairs from the command line, applied last
     */
    public static JobConfig load(String text, String origin, String stem, List<String> overrides) {
        Config user;
        try {
            user = ConfigFactory.parseString(text, ConfigParseOptions.defaults().setOriginDescription(origin));
        } catch (ConfigException e) {
            // HOCON's message already starts with the origin ("conf/x.conf: 7: ..."); say it once.
            String message = oneLine(e);
            throw new BadInputException("config " + (message.startsWith(origin + ":") ? message : origin + ": " + message));
        }
        for (String override : overrides) {
            int eq = override.indexOf('=');
            if (eq <= 0) {
                throw new BadInputException("--set " + override + ": expected key=value");
            }
            try {
                String key = override.substring(0, eq).strip();
                String value = override.substring(eq + 1).strip();
                // In HOCON an unquoted "//" starts a comment, so --set data.raw=hdfs://nn/x would silently become
                // "hdfs:"; a bare URI is taken as the string it obviously is.
                Config o = BARE_URI.matcher(value).matches()
                        ? ConfigFactory.empty().withValue(key, ConfigValueFactory.fromAnyRef(value, "--set " + override))
                        : ConfigFactory.parseString(override, ConfigParseOptions.defaults().setOriginDescription("--set " + override));
                user = o.withFallback(user);
            } catch (ConfigException e) {
                throw new BadInputException("--set " + override + ": " + oneLine(e));
            }
        }
        refuseUnknownKeys(user, origin);
        Config c;
        try {
            c = user.withFallback(DEFAULTS).resolve();
        } catch (ConfigException e) {
            throw new BadInputException("config " + origin + ": " + oneLine(e));
        }
        return build(new Reader(c, origin), stem);
    }

    /** The resolved defaults, as users see them with {@code --help}. */
    public static String renderDefaults() {
        return DEFAULTS.root().render(ConfigRenderOptions.defaults().setOriginComments(false).setJson(false));
    }

    private static JobConfig build(Reader r, String stem) {
        String name = r.string("run.name");
        if (name.isEmpty()) {
            name = stem;
        }
        if (!RUN_NAME.matcher(name).matches()) {
            // Run names become path segments: no separators, no "..", no scheme.
            throw new BadInputException("config " + r.origin + ": run.name '" + name
                    + "' must be letters, digits, '.', '_' or '-' (not starting with '.' or '-')");
        }
        var data = new JobConfig.Data(
                r.oneOf("data.dataset", "mnist", "punks"),
                r.nonEmptyString("data.raw"),
                r.intIn("data.limit", 0, 10_000_000),
                r.intIn("data.partitions", 1, 100_000));
        var model = new JobConfig.Model(
                r.intIn("model.latent", 1, 10_000),
                r.intListIn("model.hidden", 1, 100_000),
                r.oneOf("model.activation", "relu", "tanh"),
                r.oneOf("model.init", "xavier", "normal"));
        var train = new JobConfig.Train(
                r.intIn("train.epochs", 1, 100_000),
                r.intIn("train.batch-size", 1, 1_000_000),
                r.oneOf("train.optimizer", "adam", "adagrad"),
                r.doubleIn("train.learning-rate", 1e-12, 10.0),
                r.oneOf("train.learning-rate-scaling", "none", "linear", "sqrt"),
                r.intIn("train.workers", 1, 100_000),
                r.intIn("train.averaging-frequency", 1, 1_000_000),
                r.intIn("train.prefetch", 0, 1_000),
                r.intIn("train.keep-checkpoints", 0, 100_000));
        var evaluate = new JobConfig.Evaluate(r.intIn("evaluate.elbo-samples", 1, 100_000), r.intIn("evaluate.is-samples", 1, 1_000_000),
                r.bool("evaluate.curve"));
        var render = new JobConfig.Render(
                r.intIn("render.manifold-grid", 2, 100),
                r.intIn("render.reconstructions", 1, 1_000),
                r.intIn("render.samples", 1, 10_000),
                r.intIn("render.scale", 1, 32),
                r.intIn("render.interpolations", 1, 100),
                r.intIn("render.outliers", 1, 1_000));
        var encode = new JobConfig.Encode(
                r.oneOf("encode.split", "test", "val", "train"),
                r.string("encode.input"),
                r.string("encode.name"),
                r.intIn("encode.is-samples", 0, 1_000_000));
        if (!encode.folderName().matches("[A-Za-z0-9][A-Za-z0-9._-]{0,99}")) {
            throw r.bad(encode.name().isEmpty() ? "encode.input" : "encode.name", "gives the output folder name '"
                    + encode.folderName() + "', which must be letters, digits, '.', '_' or '-' (set encode.name)");
        }
        var generate = new JobConfig.Generate(
                r.intIn("generate.samples", 1, 10_000_000),
                r.intIn("generate.grid", 1, 10_000),
                r.bool("generate.images"));
        long seed = r.longValue("seed");
        Map<String, Object> resolved = r.c.root().unwrapped();
        resolved.put("run", Map.of("name", name));
        return new JobConfig(name, seed, data, model, train, evaluate, render, encode, generate, resolved);
    }

    private static void refuseUnknownKeys(Config user, String origin) {
        for (Map.Entry<String, ConfigValue> e : user.entrySet()) {
            String key = e.getKey();
            if (!DEFAULTS.hasPathOrNull(key)) {
                int line = e.getValue().origin().lineNumber();
                String where = line > 0 ? " (" + e.getValue().origin().description() + ")" : "";
                throw new BadInputException("config " + origin + ": unknown key '" + key + "'" + where);
            }
        }
        // A user object where the defaults hold a scalar (e.g. train.epochs { ... }) would hide keys above.
        for (String key : Set.of("seed")) {
            if (user.hasPath(key) && user.getValue(key).valueType() == ConfigValueType.OBJECT) {
                throw new BadInputException("config " + origin + ": " + key + " must be a number");
            }
        }
    }

    private static String oneLine(ConfigException e) {
        return e.getMessage().replace('\n', ' ');
    }

    /** Typed, range-checked access that names the key in every failure. */
    private record Reader(Config c, String origin) {
        BadInputException bad(String key, String problem) {
            return new BadInputException("config " + origin + ": " + key + " " + problem);
        }

        String string(String key) {
            try {
                return c.getString(key);
            } catch (ConfigException e) {
                throw bad(key, "must be a string (" + oneLine(e) + ")");
            }
        }

        String nonEmptyString(String key) {
            String s = string(key);
            if (s.isBlank()) {
                throw bad(key, "must not be empty");
            }
            return s;
        }

        String oneOf(String key, String... allowed) {
            String s = string(key);
            for (String a : allowed) {
                if (a.equals(s)) {
                    return s;
                }
            }
            throw bad(key, "= '" + s + "' is not one of " + String.join(", ", allowed));
        }

        boolean bool(String key) {
            try {
                return c.getBoolean(key);
            } catch (ConfigException e) {
                throw bad(key, "must be true or false, got " + c.getValue(key).render());
            }
        }

        long longValue(String key) {
            try {
                return c.getLong(key);
            } catch (ConfigException e) {
                throw bad(key, "must be a whole number, got " + c.getValue(key).render());
            }
        }

        int intIn(String key, int min, int max) {
            long v;
            try {
                v = c.getLong(key);
            } catch (ConfigException e) {
                throw bad(key, "must be a whole number, got " + c.getValue(key).render());
            }
            if (v < min || v > max) {
                throw bad(key, "= " + v + " is out of range [" + min + ", " + max + "]");
            }
            return (int) v;
        }

        double doubleIn(String key, double min, double max) {
            double v;
            try {
                v = c.getDouble(key);
            } catch (ConfigException e) {
                throw bad(key, "must be a number, got " + c.getValue(key).render());
            }
            if (!(v >= min && v <= max)) {
                throw bad(key, "= " + v + " is out of range [" + min + ", " + max + "]");
            }
            return v;
        }

        List<Integer> intListIn(String key, int min, int max) {
            List<Number> raw;
            try {
                raw = c.getNumberList(key);
            } catch (ConfigException e) {
                throw bad(key, "must be a list of whole numbers, got " + c.getValue(key).render());
            }
            if (raw.isEmpty()) {
                throw bad(key, "must not be empty");
            }
            List<Integer> out = new ArrayList<>();
            for (Number n : raw) {
                if (n.doubleValue() != Math.rint(n.doubleValue()) || n.longValue() < min || n.longValue() > max) {
                    throw bad(key, "element " + n + " is not a whole number in [" + min + ", " + max + "]");
                }
                out.add(n.intValue());
            }
            return List.copyOf(out);
        }
    }
}

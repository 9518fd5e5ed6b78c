package io.sparkvae.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import io.sparkvae.model.AnomalyScore;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import io.sparkvae.io.BadInputException;
import io.sparkvae.io.HadoopFiles;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.Path;

/**
 * The project's one config loader: parses a HOCON job config, layers {@code --set} overrides on top and the
 * defaults ({@code io/sparkvae/defaults.conf}) beneath, refuses unknown keys, wrong types and out-of-range
 * values with a one-line message naming the key, and returns a typed {@link JobConfig}.
 */
public final class JobConfigLoader {
    /**
     * An override value HOCON would cut short: unquoted, {@code //} and {@code #} start a comment, so
     * {@code --set data.raw=hdfs://nn/x} would become "hdfs:" and {@code data.raw=/data/run #2} "/data/run". Such a
     * value (not quoted, not a list or object) is taken whole, as the string it obviously is.
     */
    private static final Pattern CUT_BY_COMMENT = Pattern.compile("[^\"\\[{].*(//|#).*");
    private static final Pattern RUN_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    /** What {@link #RUN_NAME} (run, dataset and output folder names, which become path segments) allows, in words. */
    private static final String NAME_RULE = "1 to 100 letters, digits, '.', '_' or '-' (not starting with '.' or '-')";
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
        if (conf.isBlank()) {
            throw new BadInputException("--conf is empty: name a job config file, e.g. --conf conf/mnist-z2.conf");
        }
        Path path = files.requireFile(files.path(conf), "config file");
        String name = path.getName();
        String stem = name.endsWith(".conf") ? name.substring(0, name.length() - ".conf".length()) : name;
        return load(files, path, conf, stem, overrides);
    }

    /**
     * Loads the config file {@code file} (any Hadoop path); its {@code include "other.conf"} statements resolve next
     * to it, on its file system.
     *
     * @param origin    how the user named it (for messages)
     * @param stem      the default run name
     * @param overrides {@code key=value} pairs from the command line, applied last
     */
    public static JobConfig load(HadoopFiles files, Path file, String origin, String stem, List<String> overrides) {
        Config user;
        try {
            user = ConfigIncludes.parse(files, file, files.readString(file), origin);
        } catch (ConfigException e) {
            throw syntaxError(e, origin);
        }
        return complete(user, origin, stem, overrides);
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
            user = ConfigIncludes.parse(null, null, text, origin);
        } catch (ConfigException e) {
            throw syntaxError(e, origin);
        }
        return complete(user, origin, stem, overrides);
    }

    private static BadInputException syntaxError(ConfigException e, String origin) {
        // HOCON's message already starts with the origin ("conf/x.conf: 7: ..."); say it once.
        String message = oneLine(e);
        return new BadInputException("config " + (message.startsWith(origin + ":") ? message : origin + ": " + message));
    }

    private static JobConfig complete(Config file, String origin, String stem, List<String> overrides) {
        Config user = file;
        for (String override : overrides) {
            int eq = override.indexOf('=');
            if (eq <= 0) {
                throw new BadInputException("--set " + override + ": expected key=value");
            }
            try {
                String key = override.substring(0, eq).strip();
                String value = override.substring(eq + 1).strip();
                Config o = CUT_BY_COMMENT.matcher(value).matches()
                        ? ConfigFactory.empty().withValue(key, ConfigValueFactory.fromAnyRef(value, "--set " + override))
                        : ConfigFactory.parseString(override, ConfigParseOptions.defaults().setOriginDescription("--set " + override));
                user = o.withFallback(user);
            } catch (ConfigException e) {
                throw new BadInputException("--set " + override + ": " + oneLine(e));
            }
        }
        Config c;
        try {
            // Substitutions (${...}) first, so the check below sees values.
            user = user.resolveWith(user.withFallback(DEFAULTS));
            refuseUnknownKeys(user, origin);
            c = withPreset(user, origin).withFallback(DEFAULTS).resolve();
        } catch (ConfigException e) {
            throw new BadInputException("config " + origin + ": " + oneLine(e));
        }
        return build(new Reader(c, origin), stem);
    }

    /**
     * The user's config with its data preset's keys beneath it: the preset {@code data.preset} names, or else, when
     * {@code data.format} is not set, the one {@code data.dataset} names (if it is a preset). A config that selects a
     * preset must not set the format's keys itself: the preset's dataset is the project's reference data.
     */
    private static Config withPreset(Config user, String origin) {
        String preset = user.hasPath("data.preset") ? user.getValue("data.preset").unwrapped().toString() : "";
        // A key set to its default counts as not set: a config that includes defaults.conf sets every key so.
        if (preset.isEmpty() && DataPresets.firstSet(user, DEFAULTS, "data.format") == null) {
            String dataset = user.hasPath("data.dataset") ? user.getValue("data.dataset").unwrapped().toString()
                    : DEFAULTS.getString("data.dataset");
            preset = DataPresets.isPreset(dataset) ? dataset : "";
        }
        if (preset.isEmpty()) {
            return user;
        }
        if (!DataPresets.isPreset(preset)) {
            throw new BadInputException("config " + origin + ": data.preset = '" + preset + "' is not one of "
                    + String.join(", ", DataPresets.NAMES));
        }
        String format = DataPresets.format(preset);
        for (String key : List.of("data.format", "data." + format)) {
            String set = DataPresets.firstSet(user, DEFAULTS, key);
            if (set != null) {
                throw new BadInputException("config " + origin + ": " + set + " cannot be set with the " + preset + " preset"
                        + " (a preset fixes data.format and its keys; give data.dataset another name to read other files)");
            }
        }
        // The preset's keys go above the user's: those the user has are at their defaults (checked above).
        return DataPresets.keys(preset).withValue("data.preset", ConfigValueFactory.fromAnyRef(preset)).withFallback(user);
    }

    /** One config key as {@code --help} lists it: its default (as HOCON) and its meaning (the comment above it). */
    public record KeyDoc(String key, String defaultValue, String meaning) {}

    /** Every config key in {@code defaults.conf}'s order, with its default and the comment above it as its meaning. */
    public static List<KeyDoc> keys() {
        return DEFAULTS.entrySet().stream()
                .sorted(Comparator.comparingInt(e -> e.getValue().origin().lineNumber()))
                .map(e -> new KeyDoc(e.getKey(), e.getValue().render(ConfigRenderOptions.concise()),
                        String.join(" ", e.getValue().origin().comments().stream().map(String::strip).toList())))
                .toList();
    }

    private static JobConfig build(Reader r, String stem) {
        String name = r.string("run.name");
        if (name.isEmpty()) {
            name = stem;
        }
        if (!RUN_NAME.matcher(name).matches()) {
            // Run names become path segments: no separators, no "..", no scheme.
            throw new BadInputException("config " + r.origin + ": run.name '" + name + "' must be " + NAME_RULE);
        }
        var data = data(r);
        var model = new JobConfig.Model(
                r.intIn("model.latent", SettingRange.LATENT),
                r.intListIn("model.hidden", (int) SettingRange.HIDDEN_SIZE.min(), (int) SettingRange.HIDDEN_SIZE.max()),
                r.oneOf("model.activation", "relu", "tanh"),
                r.oneOf("model.init", "xavier", "normal"));
        var train = new JobConfig.Train(
                r.intIn("train.epochs", SettingRange.EPOCHS),
                r.intIn("train.batch-size", SettingRange.BATCH_SIZE),
                r.oneOf("train.optimizer", "adam", "adagrad"),
                r.doubleIn("train.learning-rate", SettingRange.LEARNING_RATE),
                r.oneOf("train.learning-rate-scaling", "none", "linear", "sqrt"),
                r.intIn("train.workers", SettingRange.WORKERS),
                r.intIn("train.averaging-frequency", SettingRange.AVERAGING_FREQUENCY),
                r.intIn("train.prefetch", 0, 1_000),
                r.intIn("train.cache-mb", 0, 1_000_000),
                r.intIn("train.keep-checkpoints", 0, 100_000),
                new JobConfig.EarlyStopping(r.intIn("train.early-stopping.patience", SettingRange.PATIENCE),
                        r.doubleIn("train.early-stopping.min-delta", SettingRange.MIN_DELTA)));
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
        if (!RUN_NAME.matcher(encode.folderName()).matches()) {
            throw r.bad(encode.name().isEmpty() ? "encode.input" : "encode.name", "gives the output folder name '"
                    + encode.folderName() + "', which must be " + NAME_RULE + " (set encode.name)");
        }
        var generate = new JobConfig.Generate(
                r.intIn("generate.samples", 1, 10_000_000),
                r.intIn("generate.grid", 1, 10_000),
                r.bool("generate.images"));
        var score = new JobConfig.Score(r.stringOrList("score.input"), r.nonEmptyString("score.glob"), r.string("score.name"),
                r.oneOf("score.on-bad-image", "fail", "skip").equals("skip"), r.intIn("score.most-unusual", 1, 1_000));
        if (!RUN_NAME.matcher(score.folderName()).matches()) {
            throw r.bad(score.name().isEmpty() ? "score.input" : "score.name", "gives the output folder name '"
                    + score.folderName() + "', which must be " + NAME_RULE + " (set score.name)");
        }
        var scores = scores(r);
        long seed = r.longValue("seed");
        Map<String, Object> resolved = r.c.root().unwrapped();
        resolved.put("run", Map.of("name", name));
        return new JobConfig(name, seed, data, model, train, evaluate, render, encode, generate, score, scores, resolved);
    }

    /** {@code scores.<key>} on or off for each score beyond the -ELBO, and a {@code scores.rank-by} that is on. */
    private static JobConfig.Scores scores(Reader r) {
        java.util.Set<AnomalyScore> on = java.util.EnumSet.noneOf(AnomalyScore.class);
        for (AnomalyScore s : AnomalyScore.optional()) {
            if (r.bool("scores." + s.key())) {
                on.add(s);
            }
        }
        String key = r.string("scores.rank-by");
        AnomalyScore rankBy = AnomalyScore.byKey(key);
        if (rankBy == null) {
            throw r.bad("scores.rank-by", "must be one of " + AnomalyScore.keys() + ", got '" + key + "'");
        }
        if (rankBy != AnomalyScore.NEG_ELBO && !on.contains(rankBy)) {
            throw r.bad("scores.rank-by", "is " + key + ", which scores." + key + " = off switches off (switch it on or "
                    + "rank by another score)");
        }
        return new JobConfig.Scores(on, rankBy);
    }

    private static final List<String> FORMATS = List.of("idx", "sprite-sheet", "image-folder", "parquet");

    private static JobConfig.Data data(Reader r) {
        String dataset = r.string("data.dataset");
        if (!RUN_NAME.matcher(dataset).matches()) {
            // Dataset names become path segments, like run names.
            throw r.bad("data.dataset", "'" + dataset + "' must be " + NAME_RULE);
        }
        String preset = r.string("data.preset");
        String format = r.string("data.format");
        if (format.isEmpty()) {
            throw r.bad("data.format", "is not set and data.dataset '" + dataset + "' names no preset ("
                    + String.join(", ", DataPresets.NAMES) + "): set data.format to " + String.join(", ", FORMATS)
                    + ", or data.preset");
        }
        r.oneOf("data.format", FORMATS.toArray(String[]::new));
        double val = r.doubleIn("data.val-fraction", 1e-9, 1 - 1e-9);
        double test = r.doubleIn("data.test-fraction", 1e-9, 1 - 1e-9);
        if (val + test >= 1) {
            throw r.bad("data.val-fraction", "+ data.test-fraction = " + (val + test) + " leaves nothing for train (must be below 1)");
        }
        JobConfig.IdxFiles idx = null;
        JobConfig.SpriteSheetFile sprites = null;
        JobConfig.ImageFolder folder = null;
        JobConfig.ParquetTable table = null;
        switch (format) {
            case "idx" -> {
                idx = new JobConfig.IdxFiles(r.nonEmptyString("data.idx.train-images"), r.string("data.idx.train-labels"),
                        r.string("data.idx.test-images"), r.string("data.idx.test-labels"), r.intIn("data.idx.classes", 0, 256));
                if (idx.testImages().isEmpty() && !idx.testLabels().isEmpty()) {
                    throw r.bad("data.idx.test-labels", "is set but data.idx.test-images is not");
                }
            }
            case "sprite-sheet" -> sprites = new JobConfig.SpriteSheetFile(r.nonEmptyString("data.sprite-sheet.file"),
                    r.intIn("data.sprite-sheet.tile-width", 1, 10_000), r.intIn("data.sprite-sheet.tile-height", 1, 10_000),
                    r.intIn("data.sprite-sheet.columns", 1, 100_000), r.intIn("data.sprite-sheet.count", 1, 100_000_000),
                    r.oneOf("data.sprite-sheet.order", "row-major", "column-major"), r.oneOf1or3("data.sprite-sheet.channels"),
                    r.colour("data.sprite-sheet.background"));
            case "image-folder" -> folder = new JobConfig.ImageFolder(r.string("data.image-folder.path"),
                    r.nonEmptyString("data.image-folder.glob"), shaping(r, "data.image-folder"),
                    r.oneOf("data.image-folder.labels", "none", "subfolder"), r.oneOf("data.image-folder.on-bad-image", "fail", "skip"));
            default -> table = new JobConfig.ParquetTable(r.nonEmptyString("data.parquet.path"), r.nonEmptyString("data.parquet.pixels"),
                    r.string("data.parquet.label"), r.string("data.parquet.id"), shaping(r, "data.parquet"));
        }
        return new JobConfig.Data(dataset, preset, format, r.nonEmptyString("data.raw"), r.intIn("data.limit", 0, 10_000_000),
                r.intIn("data.partitions", 1, 100_000), val, test, idx, sprites, folder, table);
    }

    private static JobConfig.ImageShaping shaping(Reader r, String prefix) {
        return new JobConfig.ImageShaping(r.intIn(prefix + ".width", 1, 10_000), r.intIn(prefix + ".height", 1, 10_000),
                r.oneOf1or3(prefix + ".channels"), r.oneOf(prefix + ".resize", "none", "stretch", "fit", "crop"),
                r.colour(prefix + ".background"));
    }

    /**
     * Walks everything the user set, nulls included (a {@code Config}'s entry set skips them): every key must be one of
     * the defaults', a section where the defaults have a section and a value where they have a value, and not null.
     */
    private static void refuseUnknownKeys(Config user, String origin) {
        refuseUnknownKeys(user.root(), "", origin);
    }

    private static void refuseUnknownKeys(ConfigObject object, String prefix, String origin) {
        for (Map.Entry<String, ConfigValue> e : object.entrySet()) {
            String key = prefix.isEmpty() ? ConfigUtil.joinPath(e.getKey()) : prefix + "." + ConfigUtil.joinPath(e.getKey());
            ConfigValue value = e.getValue();
            if (!DEFAULTS.hasPathOrNull(key)) {
                // Name the whole key the user wrote (bogus.key, not the section bogus).
                while (value instanceof ConfigObject o && !o.isEmpty()) {
                    var first = o.entrySet().iterator().next();
                    key = key + "." + ConfigUtil.joinPath(first.getKey());
                    value = first.getValue();
                }
                int line = value.origin().lineNumber();
                String where = line > 0 ? " (" + value.origin().description() + ")" : "";
                throw new BadInputException("config " + origin + ": unknown key '" + key + "'" + where + KeySuggestion.forKey(key, keys()));
            }
            boolean section = DEFAULTS.getValue(key).valueType() == ConfigValueType.OBJECT;
            if (value.valueType() == ConfigValueType.NULL) {
                throw new BadInputException("config " + origin + ": " + key + " is null; give it a value"
                        + (section ? "" : " or leave it out for its default, " + DEFAULTS.getValue(key).render(ConfigRenderOptions.concise())));
            }
            if (section && value.valueType() != ConfigValueType.OBJECT) {
                throw new BadInputException("config " + origin + ": " + key + " is a section (" + String.join(", ",
                        DEFAULTS.getObject(key).keySet().stream().sorted().toList()) + "), not a value: set " + key
                        + ".<key> instead of " + key + " = " + value.render(ConfigRenderOptions.concise()));
            }
            if (!section && value.valueType() == ConfigValueType.OBJECT) {
                throw new BadInputException("config " + origin + ": " + key + " is a value, not a section: set " + key
                        + " = <value> (default " + DEFAULTS.getValue(key).render(ConfigRenderOptions.concise()) + ")");
            }
            if (section) {
                refuseUnknownKeys((ConfigObject) value, key, origin);
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

        /** A list of strings, or one string as a list of one. */
        List<String> stringOrList(String key) {
            if (c.getValue(key).valueType() == ConfigValueType.STRING) {
                return List.of(c.getString(key));
            }
            try {
                return List.copyOf(c.getStringList(key));
            } catch (ConfigException e) {
                throw bad(key, "must be a string or a list of strings, got " + c.getValue(key).render(ConfigRenderOptions.concise()));
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

        int oneOf1or3(String key) {
            int v = intIn(key, 1, 3);
            if (v == 2) {
                throw bad(key, "= 2 is not 1 (luminance) or 3 (RGB)");
            }
            return v;
        }

        String colour(String key) {
            String s = string(key);
            try {
                io.sparkvae.data.Compositing.parseColour(s);
            } catch (IllegalArgumentException e) {
                throw bad(key, e.getMessage());
            }
            return s;
        }

        boolean bool(String key) {
            try {
                return c.getBoolean(key);
            } catch (ConfigException e) {
                throw bad(key, "must be true or false, got " + c.getValue(key).render());
            }
        }

        long longValue(String key) {
            return wholeNumberIn(key, Long.MIN_VALUE, Long.MAX_VALUE);
        }

        int intIn(String key, int min, int max) {
            return (int) wholeNumberIn(key, min, max);
        }

        /** A whole number (HOCON's getLong would silently truncate 200.7 to 200 and clamp 1e30). */
        long wholeNumberIn(String key, long min, long max) {
            ConfigValue value = c.getValue(key);
            String text = value.render(ConfigRenderOptions.concise());
            BigDecimal v;
            try {
                v = new BigDecimal(value.unwrapped() instanceof String s ? s.strip() : String.valueOf(value.unwrapped()));
            } catch (NumberFormatException e) {
                throw bad(key, "must be a whole number, got " + text);
            }
            if (v.signum() != 0 && v.stripTrailingZeros().scale() > 0) {
                throw bad(key, "must be a whole number, got " + text);
            }
            if (v.compareTo(BigDecimal.valueOf(min)) < 0 || v.compareTo(BigDecimal.valueOf(max)) > 0) {
                throw bad(key, "= " + text + " is out of range [" + min + ", " + max + "]");
            }
            return v.longValueExact();
        }

        int intIn(String key, SettingRange range) {
            return intIn(key, (int) range.min(), (int) range.max());
        }

        double doubleIn(String key, SettingRange range) {
            return doubleIn(key, range.min(), range.max());
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

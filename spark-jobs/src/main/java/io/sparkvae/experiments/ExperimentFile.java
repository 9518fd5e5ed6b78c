package io.sparkvae.experiments;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import io.sparkvae.config.JobConfig;
import io.sparkvae.config.JobConfigLoader;
import io.sparkvae.io.BadInputException;
import io.sparkvae.io.HadoopFiles;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.hadoop.fs.Path;

/**
 * Reads a sweep file ({@code conf/experiments/<name>.conf}, HOCON):
 *
 * <pre>
 * description = "what it tests"
 * set { train.epochs = 10 }                  # every run (same keys as --set)
 * setups { paper { model.activation = tanh } }  # free blocks to reuse as ${setups.paper}
 * runs = [
 *   { name = z3, base = "../mnist-z20.conf", group = "seed setup", label = "nz=3", set { model.latent = 3 } }
 * ]
 * </pre>
 *
 * Base paths resolve against the sweep file's folder. Every run's config goes through {@link JobConfigLoader} here,
 * so a bad sweep is refused (one line naming the file and run) before anything runs.
 */
public final class ExperimentFile {
    private static final Set<String> TOP_KEYS = Set.of("description", "set", "setups", "runs");
    private static final Set<String> RUN_KEYS = Set.of("name", "base", "group", "label", "set");

    private ExperimentFile() {}

    /** Where {@code vae experiment <name>} looks for a sweep given by name rather than by file. */
    public static final String FOLDER = "conf/experiments";

    /** A name ({@code latent-sizes}) means {@value #FOLDER}/name.conf; anything ending in .conf is a path or URI. */
    public static Path locate(HadoopFiles files, String nameOrFile) {
        String f = nameOrFile.endsWith(".conf") ? nameOrFile : FOLDER + "/" + nameOrFile + ".conf";
        return files.requireFile(files.path(f), "experiment file");
    }

    /**
     * @param cliSets {@code --set} overrides for every run, applied after the file's (sweep-wide and per run)
     */
    public static Experiment load(HadoopFiles files, Path file, List<String> cliSets) {
        String origin = file.toString();
        String stem = file.getName().replaceFirst("\\.conf$", "");
        Config c;
        try {
            c = ConfigFactory.parseString(files.readString(file), ConfigParseOptions.defaults().setOriginDescription(origin)).resolve();
        } catch (ConfigException e) {
            throw bad(origin, e.getMessage().replace('\n', ' '));
        }
        for (String key : c.root().keySet()) {
            if (!TOP_KEYS.contains(key)) {
                throw bad(origin, "unknown key '" + key + "' (expected " + String.join(", ", new java.util.TreeSet<>(TOP_KEYS)) + ")");
            }
        }
        List<String> fileSets = c.hasPath("set") ? overrides(object(c, "set", origin), origin, "set") : List.of();
        for (String s : cliSets) {
            refuseRunName(s, origin, "--set");
        }
        List<? extends Config> runConfigs;
        try {
            runConfigs = c.getConfigList("runs");
        } catch (ConfigException e) {
            throw bad(origin, "runs must be a list of objects (" + e.getMessage().replace('\n', ' ') + ")");
        }
        if (runConfigs.isEmpty()) {
            throw bad(origin, "runs is empty");
        }
        List<ExperimentRun> runs = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < runConfigs.size(); i++) {
            ExperimentRun run;
            try {
                run = run(files, file, stem, runConfigs.get(i), i, fileSets, cliSets);
            } catch (ConfigException e) {
                throw bad(origin, "runs[" + i + "]: " + e.getMessage().replace('\n', ' '));
            }
            if (!names.add(run.name())) {
                throw bad(origin, "runs[" + i + "]: the run name " + run.name() + " is used twice");
            }
            runs.add(run);
        }
        List<String> sets = new ArrayList<>(fileSets);
        sets.addAll(cliSets);
        return new Experiment(stem, origin, c.hasPath("description") ? c.getString("description") : "", List.copyOf(sets),
                List.copyOf(runs));
    }

    private static ExperimentRun run(HadoopFiles files, Path file, String experiment, Config r, int i, List<String> fileSets,
                                     List<String> cliSets) {
        String origin = file.toString();
        String where = "runs[" + i + "]";
        for (String key : r.root().keySet()) {
            if (!RUN_KEYS.contains(key)) {
                throw bad(origin, where + ": unknown key '" + key + "' (expected " + String.join(", ", new java.util.TreeSet<>(RUN_KEYS)) + ")");
            }
        }
        for (String key : List.of("name", "base")) {
            if (!r.hasPath(key)) {
                throw bad(origin, where + ": " + key + " is missing");
            }
        }
        String name = experiment + "-" + r.getString("name");
        where = where + " (" + r.getString("name") + ")";
        Path base = files.path(new Path(file.getParent(), r.getString("base")).toString());
        files.requireFile(base, "experiment " + origin + ": " + where + ": base config");
        // Precedence, lowest first: the sweep's set, the run's own, the command line's (a smoke run's train.epochs=1 must
        // win over every run's epochs), then the run name.
        List<String> overrides = new ArrayList<>(fileSets);
        if (r.hasPath("set")) {
            overrides.addAll(overrides(object(r, "set", origin + ": " + where), origin, where + ".set"));
        }
        overrides.addAll(cliSets);
        overrides.add("run.name=" + name);
        JobConfig config;
        try {
            config = JobConfigLoader.load(files, base, base.toString(), name, overrides);
        } catch (BadInputException e) {
            throw bad(origin, where + ": " + e.getMessage());
        }
        String label = r.hasPath("label") ? r.getString("label") : r.getString("name");
        String group = r.hasPath("group") ? r.getString("group") : "";
        return new ExperimentRun(name, label, group, base.toString(), List.copyOf(overrides), config);
    }

    /** A {@code set} block as {@code key=value} pairs (values as concise HOCON, which --set parses back), sorted by key. */
    private static List<String> overrides(Config block, String origin, String where) {
        Map<String, String> sorted = new TreeMap<>();
        for (Map.Entry<String, ConfigValue> e : block.entrySet()) {
            sorted.put(e.getKey(), e.getKey() + "=" + e.getValue().render(ConfigRenderOptions.concise()));
        }
        List<String> out = new ArrayList<>(sorted.values());
        for (String s : out) {
            refuseRunName(s, origin, where);
        }
        return out;
    }

    private static void refuseRunName(String override, String origin, String where) {
        if (override.strip().startsWith("run.name")) {
            throw bad(origin, where + ": run.name cannot be set; run names are <experiment>-<run name> from the sweep file");
        }
    }

    private static Config object(Config c, String key, String origin) {
        try {
            return c.getConfig(key);
        } catch (ConfigException e) {
            throw bad(origin, key + " must be an object of job-config keys");
        }
    }

    private static BadInputException bad(String origin, String problem) {
        return new BadInputException("experiment " + origin + ": " + problem);
    }
}

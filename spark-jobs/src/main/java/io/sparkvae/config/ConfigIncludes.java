package io.sparkvae.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigIncludeContext;
import com.typesafe.config.ConfigIncluder;
import com.typesafe.config.ConfigIncluderFile;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import io.sparkvae.io.BadInputException;
import io.sparkvae.io.HadoopFiles;
import java.io.File;
import org.apache.hadoop.fs.Path;

/**
 * Parses a HOCON job config so that {@code include "base.conf"} (and {@code include file("base.conf")}) resolves next
 * to the including file, on its own file system (local, {@code hdfs://}, ...), as users expect. HOCON's default
 * includer would look for it on the classpath and, not finding it, silently include nothing; here a missing include
 * is an error naming it.
 */
final class ConfigIncludes implements ConfigIncluder, ConfigIncluderFile {
    /** Deeper nesting than this is taken for an include cycle. */
    private static final int MAX_DEPTH = 20;

    private final HadoopFiles files;
    /** The including file; null for config text that has no file (includes are then refused). */
    private final Path file;
    private final int depth;

    private ConfigIncludes(HadoopFiles files, Path file, int depth) {
        this.files = files;
        this.file = file;
        this.depth = depth;
    }

    /**
     * Parses {@code text}, the contents of {@code file} (null: text without a file), resolving its includes.
     *
     * @param origin how messages name the text
     */
    static Config parse(HadoopFiles files, Path file, String text, String origin) {
        return parse(new ConfigIncludes(files, file, 0), text, origin);
    }

    private static Config parse(ConfigIncludes includer, String text, String origin) {
        return ConfigFactory.parseString(text, ConfigParseOptions.defaults().setOriginDescription(origin).setIncluder(includer));
    }

    @Override
    public ConfigIncluder withFallback(ConfigIncluder fallback) {
        return this; // includes resolve here or nowhere
    }

    @Override
    public ConfigObject include(ConfigIncludeContext context, String what) {
        return includePath(what);
    }

    @Override
    public ConfigObject includeFile(ConfigIncludeContext context, File what) {
        return includePath(what.getPath());
    }

    private ConfigObject includePath(String what) {
        if (file == null) {
            throw new BadInputException("include \"" + what + "\": only a config file can include others");
        }
        if (depth >= MAX_DEPTH) {
            throw new BadInputException(file + ": include \"" + what + "\" nests deeper than " + MAX_DEPTH + " files (an include cycle?)");
        }
        Path given = new Path(what);
        Path target = given.isAbsolute() || given.toUri().getScheme() != null ? files.path(what) : new Path(file.getParent(), what);
        // HOCON's include "base" means base.conf (or .json, .properties); .conf is what this project writes.
        if (!given.getName().contains(".") && !files.exists(target)) {
            target = target.suffix(".conf");
        }
        files.requireFile(target, file + ": included config file");
        return parse(new ConfigIncludes(files, target, depth + 1), files.readString(target), target.toString()).root();
    }
}

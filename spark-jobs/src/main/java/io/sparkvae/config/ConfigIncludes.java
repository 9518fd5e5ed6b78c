package io.sparkvae.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigIncludeContext;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigIncluder;
import com.typesafe.config.ConfigIncluderClasspath;
import com.typesafe.config.ConfigIncluderFile;
import com.typesafe.config.ConfigIncluderURL;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import io.sparkvae.io.BadInputException;
import io.sparkvae.io.HadoopFiles;
import java.io.File;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import org.apache.hadoop.fs.Path;

/**
 * Parses a HOCON job config so that {@code include "base.conf"} (and {@code include file("base.conf")}) resolves next
 * to the including file, on its own file system (local, {@code hdfs://}, ...), as users expect. HOCON's default
 * includer would look for it on the classpath and, not finding it, silently include nothing; here a missing include
 * of any kind (file, {@code url(...)}, {@code classpath(...)}) is an error naming it. A config makes the tool open no
 * network connection: {@code url("http...")} includes are refused unless the JVM runs with
 * {@code -D}{@value #NETWORK_INCLUDES}{@code =true}.
 */
final class ConfigIncludes implements ConfigIncluder, ConfigIncluderFile, ConfigIncluderURL, ConfigIncluderClasspath {
    /** The system property that lets configs include URLs other than {@code file:} (fetched while the config loads). */
    static final String NETWORK_INCLUDES = "vae.config.network-includes";
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

    @Override
    public ConfigObject includeURL(ConfigIncludeContext context, URL what) {
        if ("file".equalsIgnoreCase(what.getProtocol())) {
            return includePath(localPath(what));
        }
        if (!Boolean.getBoolean(NETWORK_INCLUDES)) {
            throw new BadInputException(where() + "include url(\"" + what + "\"): a config does not fetch anything over the"
                    + " network while it loads; copy the file and include its path (or run with -D" + NETWORK_INCLUDES + "=true)");
        }
        return parseURL(what, "include url(\"" + what + "\")");
    }

    @Override
    public ConfigObject includeResources(ConfigIncludeContext context, String what) {
        URL resource = ConfigIncludes.class.getClassLoader().getResource(what.startsWith("/") ? what.substring(1) : what);
        if (resource == null) {
            throw new BadInputException(where() + "include classpath(\"" + what + "\"): not found on the classpath");
        }
        return parseURL(resource, "include classpath(\"" + what + "\")");
    }

    /** A URL's config, which must exist; includes inside it are refused (it has no file to resolve them next to). */
    private ConfigObject parseURL(URL url, String include) {
        try {
            return ConfigFactory.parseURL(url, ConfigParseOptions.defaults().setAllowMissing(false)
                    .setIncluder(new ConfigIncludes(files, null, depth + 1))).root();
        } catch (ConfigException e) {
            throw new BadInputException(where() + include + ": " + e.getMessage(), e);
        }
    }

    /** The path a {@code file:} URL names (relative ones, {@code file:base.conf}, stay relative to the including file). */
    private String localPath(URL url) {
        try {
            URI uri = url.toURI();
            return uri.isOpaque() ? uri.getSchemeSpecificPart() : "file:" + uri.getPath();
        } catch (URISyntaxException e) {
            throw new BadInputException(where() + "include url(\"" + url + "\"): not a valid file URL: " + e.getMessage(), e);
        }
    }

    private String where() {
        return file == null ? "" : file + ": ";
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

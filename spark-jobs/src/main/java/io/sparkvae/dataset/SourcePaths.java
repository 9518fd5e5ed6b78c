package io.sparkvae.dataset;

import io.sparkvae.io.HadoopFiles;
import java.net.URI;
import org.apache.hadoop.fs.Path;

/** Resolves a configured source: a Hadoop URI or absolute path as it is, anything else relative to {@code data.raw}. */
final class SourcePaths {
    private SourcePaths() {}

    static Path resolve(HadoopFiles files, Path rawDir, String source) {
        if (source.isEmpty()) {
            return rawDir;
        }
        URI uri = new Path(source).toUri();
        return uri.getScheme() != null || source.startsWith("/") ? files.path(source) : new Path(rawDir, source);
    }
}

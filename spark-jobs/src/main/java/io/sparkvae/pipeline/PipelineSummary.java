package io.sparkvae.pipeline;

import io.sparkvae.io.HadoopFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/** What a finished pipeline reports besides the evaluation's numbers: where the pictures are, as a user opens them. */
public final class PipelineSummary {
    private PipelineSummary() {}

    /** Every PNG under {@code dir}, sorted. */
    public static List<Path> pictures(HadoopFiles files, Path dir) {
        List<Path> out = new ArrayList<>();
        if (!files.exists(dir)) {
            return out;
        }
        try {
            RemoteIterator<LocatedFileStatus> it = files.fs(dir).listFiles(dir, true);
            while (it.hasNext()) {
                Path p = it.next().getPath();
                if (p.getName().endsWith(".png")) {
                    out.add(p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        out.sort(null);
        return out;
    }

    /** A local path for file: URIs (what a user can open), the full URI otherwise. */
    public static String display(Path p) {
        String scheme = p.toUri().getScheme();
        return scheme == null || scheme.equals("file") ? p.toUri().getPath() : p.toString();
    }
}

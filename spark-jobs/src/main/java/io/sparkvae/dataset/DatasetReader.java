package io.sparkvae.dataset;

import io.sparkvae.config.JobConfig;
import io.sparkvae.io.BadInputException;
import io.sparkvae.io.HadoopFiles;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Opens a prepared dataset for the later stages, refusing one that is incomplete or not what the config asks for. */
public final class DatasetReader {
    private final SparkSession spark;
    private final HadoopFiles files;

    public DatasetReader(SparkSession spark, HadoopFiles files) {
        this.spark = spark;
        this.files = files;
    }

    /** Checks {@code _SUCCESS} and that the manifest matches the config's data set and limit. */
    public DatasetManifest open(Path dir, JobConfig.Data expected) {
        files.requireComplete(dir, "dataset (run the prepare stage first)");
        DatasetManifest m = DatasetManifest.read(files, dir);
        if (!m.dataset().equals(expected.dataset()) || m.limit() != expected.limit()) {
            throw new BadInputException(dir + ": manifest says dataset " + m.dataset() + " (limit " + m.limit()
                    + ") but the config asks for " + expected.dataset() + " (limit " + expected.limit() + ")");
        }
        return m;
    }

    /** One split's rows; the split must be listed in the manifest and present on disk. */
    public Dataset<Row> split(Path dir, DatasetManifest manifest, String split) {
        DatasetManifest.Split s = manifest.splits().get(split);
        Path p = new Path(dir, split);
        if (s == null || !files.exists(p)) {
            throw new BadInputException(p + ": split '" + split + "' is missing from the dataset");
        }
        if (s.count() == 0) {
            throw new BadInputException(p + ": split '" + split + "' is empty");
        }
        return spark.read().parquet(p.toString());
    }
}

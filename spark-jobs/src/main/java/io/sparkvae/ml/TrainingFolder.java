package io.sparkvae.ml;

import io.sparkvae.io.BadInputException;
import io.sparkvae.io.HadoopFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.UUID;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkContext;

/**
 * Where a {@link VaeEstimator} fit writes its training files (model, checkpoints, metrics), which every executor must
 * reach: the {@code checkpointDir} it was given, or else a temporary folder deleted after the fit, under SparkContext's
 * checkpoint folder if one is set, else under the default file system's working folder (HDFS: the user's home); a
 * local master alone may use the driver's local temporary folder. A local path with a cluster master is refused.
 *
 * @param dir       the qualified folder
 * @param temporary whether the fit deletes it afterwards
 */
record TrainingFolder(Path dir, boolean temporary) {
    /** Where temporary folders go under the default file system's working folder. */
    static final String UNDER_WORKING_DIR = ".vae-estimator";

    static TrainingFolder of(SparkContext sc, HadoopFiles files, String checkpointDir, String owner) {
        if (!checkpointDir.isEmpty()) {
            return new TrainingFolder(reachable(sc, files.path(checkpointDir), "checkpointDir", owner), false);
        }
        String name = "vae-estimator-" + UUID.randomUUID();
        if (sc.getCheckpointDir().isDefined()) {
            Path parent = files.path(sc.getCheckpointDir().get());
            return new TrainingFolder(reachable(sc, new Path(parent, name), "SparkContext's checkpoint folder", owner), true);
        }
        if (sc.isLocal()) {
            try {
                return new TrainingFolder(files.path(Files.createTempDirectory("vae-estimator").toUri().toString()), true);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a temporary folder for the training", e);
            }
        }
        Path working = files.fs(new Path("/")).getWorkingDirectory();
        return new TrainingFolder(reachable(sc, new Path(new Path(working, UNDER_WORKING_DIR), name),
                "the default file system's working folder", owner), true);
    }

    /** {@code dir}, unless it is on the driver's local disk while executors may run on other machines. */
    private static Path reachable(SparkContext sc, Path dir, String what, String owner) {
        if (!sc.isLocal() && "file".equals(dir.toUri().getScheme())) {
            throw new BadInputException(owner + ": " + what + " " + dir + " is on the driver's local disk, which executors on "
                    + "other machines cannot read (master " + sc.master() + "); set checkpointDir to a shared file system "
                    + "(hdfs://, s3a://) or SparkContext.setCheckpointDir");
        }
        return dir;
    }
}

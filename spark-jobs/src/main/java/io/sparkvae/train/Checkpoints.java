package io.sparkvae.train;

import io.sparkvae.io.HadoopFiles;
import io.sparkvae.model.EpochMetrics;
import io.sparkvae.model.LoadedVae;
import io.sparkvae.model.Vae;
import io.sparkvae.model.VaeStore;
import io.sparkvae.provenance.Provenance;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-epoch checkpoints, {@code epoch-NNN/} folders under the run's checkpoint folder: the model with its updater
 * state plus the epoch history, each committed by rename with {@code _SUCCESS}. Loading verifies; a corrupt
 * checkpoint is skipped with a warning and the one before it is used.
 */
public final class Checkpoints {
    private static final Logger LOG = LoggerFactory.getLogger(Checkpoints.class);
    private static final Pattern NAME = Pattern.compile("epoch-(\\d{3,})");
    static final String HISTORY = "history.jsonl";

    /** A checkpoint read back: the epoch it ends, the model, what made it and the metrics of every epoch up to it. */
    public record Restored(int epoch, Vae vae, Provenance provenance, List<EpochMetrics> history) {}

    private final HadoopFiles files;
    private final Path root;
    private final int keep;
    /** An epoch whose checkpoint pruning spares (early stopping's best), or 0. */
    private int protectedEpoch;

    /**
     * @param dir  the checkpoint folder ({@code RunLayout.checkpoints()})
     * @param keep how many of the newest checkpoints to keep (0 keeps all)
     */
    public Checkpoints(HadoopFiles files, Path dir, int keep) {
        this.files = files;
        this.root = dir;
        this.keep = keep;
    }

    /** The folder holding the checkpoints. */
    public Path root() {
        return root;
    }

    public Path dir(int epoch) {
        return new Path(root, String.format("epoch-%03d", epoch));
    }

    public void save(int epoch, Vae vae, Provenance provenance, List<EpochMetrics> history) {
        Path target = dir(epoch);
        files.sweep(target); // left by a run killed while writing this epoch's checkpoint
        files.writeStaged(target, true, tmp -> {
            VaeStore.save(vae, provenance, tmp, files);
            files.writeString(new Path(tmp, HISTORY), EpochMetrics.toJsonLines(history));
            return null;
        });
        prune();
    }

    /** Spares {@code epoch}'s checkpoint from pruning (0: none), e.g. the best epoch early stopping will keep. */
    public void protect(int epoch) {
        this.protectedEpoch = epoch;
    }

    /** The checkpoint of {@code epoch}; fails when it does not load. */
    public Restored load(int epoch) {
        Path dir = dir(epoch);
        LoadedVae loaded = VaeStore.load(dir, files);
        List<EpochMetrics> history = EpochMetrics.parse(files.readString(new Path(dir, HISTORY)), new Path(dir, HISTORY).toString());
        if (history.size() != epoch) {
            throw new IllegalStateException(new Path(dir, HISTORY) + " has " + history.size() + " epochs, expected " + epoch);
        }
        return new Restored(epoch, loaded.vae(), loaded.provenance(), history);
    }

    /** The newest checkpoint that loads cleanly, if any. */
    public Optional<Restored> latest() {
        for (int epoch : epochsNewestFirst()) {
            Path dir = dir(epoch);
            try {
                return Optional.of(load(epoch));
            } catch (RuntimeException e) {
                LOG.warn("skipping unusable checkpoint {}: {}", dir, String.valueOf(e.getMessage()).replaceAll("\\s+", " "));
            }
        }
        return Optional.empty();
    }

    public boolean any() {
        return !epochsNewestFirst().isEmpty();
    }

    /** The epochs that have a checkpoint directory, oldest first. */
    public List<Integer> epochs() {
        List<Integer> epochs = epochsNewestFirst();
        epochs.sort(Comparator.naturalOrder());
        return epochs;
    }

    List<Integer> epochsNewestFirst() {
        List<Integer> epochs = new ArrayList<>();
        for (FileStatus s : files.list(root)) {
            Matcher m = NAME.matcher(s.getPath().getName());
            if (s.isDirectory() && m.matches()) {
                epochs.add(Integer.parseInt(m.group(1)));
            }
        }
        epochs.sort(Comparator.reverseOrder());
        return epochs;
    }

    private void prune() {
        if (keep <= 0) {
            return;
        }
        List<Integer> epochs = epochsNewestFirst();
        for (int i = keep; i < epochs.size(); i++) {
            if (epochs.get(i) != protectedEpoch) {
                files.delete(dir(epochs.get(i)));
            }
        }
    }
}

package io.sparkvae.train;

import io.sparkvae.io.BadInputException;
import io.sparkvae.io.HadoopFiles;
import io.sparkvae.model.VaeSpec;
import io.sparkvae.provenance.Provenance;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the checkpoint a resumed training continues from, and moves files so that it lives in the training's attempt
 * folder: the newest usable checkpoint of an interrupted attempt; when there is none, one of an incomplete model folder
 * (a training killed between its rename and its {@code _SUCCESS}, or of an older layout), which then becomes the
 * attempt (adopt); or, when extending is allowed, a complete model's newest checkpoint, saved into the attempt (extend).
 */
final class TrainingResume {
    private static final Logger LOG = LoggerFactory.getLogger(TrainingResume.class);

    private final HadoopFiles files;
    private final TrainingOutputs out;
    private final int keepCheckpoints;

    TrainingResume(HadoopFiles files, TrainingOutputs out, int keepCheckpoints) {
        this.files = files;
        this.out = out;
        this.keepCheckpoints = keepCheckpoints;
    }

    /**
     * The checkpoint to resume from, now in {@code attempt}'s folder. Checkpoints of another dataset version (by the
     * identity they recorded, tested with {@code sameDataset}) are not resumed: training starts afresh, saying so. A
     * checkpoint of another model than {@code wanted}, or past {@code epochs}, is refused: resuming it would record a
     * config that did not make the model.
     */
    Optional<Checkpoints.Restored> find(Checkpoints attempt, VaeSpec wanted, int epochs, boolean extendComplete,
            Predicate<String> sameDataset, Provenance provenance) {
        Checkpoints source = attempt;
        boolean adopt = false;
        boolean extend = false;
        if (!attempt.any() && files.exists(out.model())) {
            boolean complete = files.isComplete(out.model());
            if (!complete || extendComplete) {
                source = new Checkpoints(files, out.modelCheckpoints(), keepCheckpoints);
                adopt = !complete;
                extend = complete;
            }
        }
        var restored = source.latest();
        if (restored.isEmpty()) {
            return restored;
        }
        Checkpoints.Restored r = restored.get();
        String trainedOn = r.provenance().datasetSha256();
        if (trainedOn != null && !sameDataset.test(trainedOn)) {
            LOG.warn("not resuming from {}: it was trained on another version of the dataset ({}, now {}); starting afresh",
                    source.dir(r.epoch()), trainedOn, provenance.datasetSha256());
            return Optional.empty();
        }
        requireConfigured(r, wanted, source);
        if (r.epoch() > epochs) {
            throw new BadInputException("cannot resume from " + source.dir(r.epoch()) + ": it has trained " + r.epoch()
                    + " epochs but train.epochs = " + epochs + "; set train.epochs to " + r.epoch() + " or more to continue"
                    + " it, or train without --resume to start afresh");
        }
        if (adopt) {
            files.delete(out.attempt());
            files.rename(out.model(), out.attempt());
        } else if (extend) {
            files.delete(out.attempt());
            attempt.save(r.epoch(), r.vae(), r.provenance(), r.history());
        }
        return restored;
    }

    /** A checkpoint of another architecture or optimiser must not be resumed as if the config described it. */
    private static void requireConfigured(Checkpoints.Restored restored, VaeSpec wanted, Checkpoints checkpoints) {
        var found = restored.vae().spec().toMap();
        StringBuilder differences = new StringBuilder();
        wanted.toMap().forEach((key, value) -> {
            if (!Objects.equals(found.get(key), value)) {
                differences.append(differences.length() == 0 ? "" : ", ").append(key).append(' ').append(found.get(key))
                        .append(" (config: ").append(value).append(')');
            }
        });
        if (differences.length() > 0) {
            throw new BadInputException("cannot resume from " + checkpoints.dir(restored.epoch())
                    + ": its model differs from the config's: " + differences + "; restore the config, or train with"
                    + " --overwrite to start afresh");
        }
    }
}

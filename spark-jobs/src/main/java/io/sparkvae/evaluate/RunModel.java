package io.sparkvae.evaluate;

import io.sparkvae.dataset.DatasetManifest;
import io.sparkvae.io.BadInputException;
import io.sparkvae.io.HadoopFiles;
import io.sparkvae.model.LoadedVae;
import io.sparkvae.model.VaeStore;
import org.apache.hadoop.fs.Path;

/** The trained model of a run, as the later stages read it: the model folder train commits. */
public final class RunModel {
    private RunModel() {}

    /** Loads the model folder {@code dir}; missing or incomplete (no {@code _SUCCESS}) is bad input naming it. */
    public static LoadedVae load(Path dir, HadoopFiles files) {
        files.requireComplete(dir, "trained model (run the train stage first)");
        return VaeStore.load(dir, files);
    }

    /** A one-line note when the model records a different dataset manifest than the one scored against, else null. */
    public static String datasetNote(LoadedVae model, DatasetManifest manifest, Path datasetDir) {
        String trainedOn = model.provenance().datasetSha256();
        if (trainedOn == null || manifest.isIdentifiedBy(trainedOn)) {
            return null;
        }
        return "note: the model was trained on dataset manifest " + trainedOn.substring(0, Math.min(12, trainedOn.length()))
                + "..., not on " + datasetDir + " (" + manifest.hash().substring(0, 12) + "...)";
    }

    /** Refuses a model whose input size is not the dataset's image size, naming both. */
    public static void requireFits(LoadedVae model, DatasetManifest manifest, Path modelDir, Path datasetDir) {
        int modelInput = model.vae().spec().inputSize();
        int imageSize = manifest.shape().size();
        if (modelInput != imageSize) {
            throw new BadInputException("model " + modelDir + " takes " + modelInput + " inputs but dataset " + datasetDir
                    + " has images of " + manifest.shape().height() + "x" + manifest.shape().width() + "x"
                    + manifest.shape().channels() + " = " + imageSize + " values");
        }
    }
}

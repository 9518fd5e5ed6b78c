package io.sparkvae.evaluate;

import io.sparkvae.model.PixelMatrix;
import io.sparkvae.data.IdxImages;
import io.sparkvae.data.IdxReader;
import io.sparkvae.io.HadoopFiles;
import io.sparkvae.model.SingleProcessTrainer;
import io.sparkvae.model.Vae;
import io.sparkvae.model.VaeSpec;
import io.sparkvae.model.VaeStore;
import io.sparkvae.provenance.Provenance;
import io.sparkvae.testing.TestData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.Path;

/** Small real models and data for the evaluate and render tests (until the train stage writes real runs). */
public final class TinyModels {
    private TinyModels() {}

    /** The first {@code n} images of an MNIST IDX file under data/raw/mnist. */
    public static List<float[]> mnist(String file, int n) {
        try {
            IdxImages images = IdxReader.readImages(Files.readAllBytes(TestData.rawDir().resolve("mnist/" + file)), file);
            List<float[]> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add(images.image(i));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static int[] mnistLabels(String file, int n) {
        try {
            return java.util.Arrays.copyOf(IdxReader.readLabels(Files.readAllBytes(TestData.rawDir().resolve("mnist/" + file)), file), n);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A small VAE trained for {@code epochs} on the first 300 MNIST training images (or untrained for other sizes). */
    public static Vae trained(int inputSize, int latent, int epochs) {
        Vae vae = Vae.create(VaeSpec.defaults(inputSize, List.of(32), latent, 7));
        if (inputSize == 784 && epochs > 0) {
            new SingleProcessTrainer(vae, 50, 7).train(PixelMatrix.of(mnist("train-images-idx3-ubyte", 300)),
                    null, epochs, null);
        }
        return vae;
    }

    /** Commits {@code vae} as {@code <root>/runs/<run>/model}, as the train stage will. */
    public static Path saveRun(Vae vae, java.nio.file.Path root, String run) {
        HadoopFiles files = HadoopFiles.withDefaults();
        Path dir = files.path(root.resolve("runs").resolve(run).resolve("model").toString());
        VaeStore.saveCommitted(vae, Provenance.of(run, Map.of(), 7, null), dir, files, true);
        return dir;
    }
}

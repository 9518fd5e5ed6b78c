package io.sparkvae.render;

import io.sparkvae.train.EpochMetrics;
import io.sparkvae.evaluate.Example;
import io.sparkvae.io.HadoopFiles;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.Path;

/**
 * Writes a run's whole {@code render/} directory: every picture that applies goes into a temporary sibling, which is
 * committed (renamed, then {@code _SUCCESS}) only when all are written. Pictures that do not apply are skipped with
 * a one-line note, never failed.
 *
 * @param examples       test examples to reconstruct
 * @param latentMeans    test posterior means (2-D latent only), else null
 * @param trainingLog    epochs of metrics.jsonl, or null when there is none
 * @param manifoldGrid   cells per side of the manifold
 * @param samples        prior samples to decode
 * @param seed           the run seed
 */
public record RunPictures(List<Example> examples, List<LatentPoint> latentMeans, List<EpochMetrics> trainingLog,
                          int manifoldGrid, int samples, long seed) {

    public static final String DIR = "render";

    /** Writes and commits; returns the notes about skipped pictures (written files are listed by the caller). */
    public List<String> commit(Renderer renderer, HadoopFiles files, Path target, boolean overwrite, int latentSize) {
        List<String> notes = new ArrayList<>();
        Path tmp = files.temporarySibling(target);
        try {
            files.mkdirs(tmp);
            renderer.reconstructions(tmp, examples);
            if (latentSize == 2) {
                renderer.manifold(tmp, manifoldGrid);
            } else {
                notes.add("skipped " + Renderer.MANIFOLD + ": the latent space is " + latentSize + "-D (the manifold needs 2-D)");
            }
            renderer.samples(tmp, samples, seed);
            if (latentSize == 2 && latentMeans != null && !latentMeans.isEmpty()) {
                renderer.latentScatter(tmp, latentMeans);
            } else {
                notes.add("skipped " + Renderer.LATENT_SCATTER + ": the latent space is " + latentSize + "-D (the scatter needs 2-D)");
            }
            if (trainingLog == null) {
                notes.add("skipped " + Renderer.TRAINING_CURVE + ": the run has no metrics.jsonl");
            } else if (trainingLog.stream().noneMatch(e -> Double.isFinite(e.trainNegElbo()) || Double.isFinite(e.valNegElbo()))) {
                notes.add("skipped " + Renderer.TRAINING_CURVE + ": metrics.jsonl holds no -ELBO values");
            } else {
                renderer.trainingCurve(tmp, trainingLog);
            }
            // An output without _SUCCESS is a leftover of a crash between rename and marker: replace it.
            files.commitDirectory(tmp, target, overwrite || (files.exists(target) && !files.isComplete(target)));
            return notes;
        } catch (RuntimeException e) {
            files.deleteQuietly(tmp);
            throw e;
        }
    }
}

package io.sparkvae.render;

import io.sparkvae.layout.RunLayout.RenderFiles;
import io.sparkvae.model.EpochMetrics;
import io.sparkvae.scoring.Example;
import io.sparkvae.io.HadoopFiles;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a run's whole {@code render/} directory: every picture that applies goes into a temporary sibling, which is
 * committed (renamed, then {@code _SUCCESS}) only when all are written. Pictures that do not apply are skipped with
 * a one-line note, never failed.
 *
 * @param examples       test examples to reconstruct
 * @param pairs          pairs of test examples to interpolate between
 * @param outliers       the test examples the configured anomaly score ranks highest, highest first
 * @param latentMeans    test posterior means (2-D latent only), else null
 * @param trainingLog    epochs of metrics.jsonl, or null when there is none
 * @param manifoldGrid   cells per side of the manifold
 * @param samples        prior samples to decode
 * @param seed           the run seed
 */
public record RunPictures(List<Example> examples, List<Example[]> pairs, List<Outlier> outliers,
                          List<LatentPoint> latentMeans, List<EpochMetrics> trainingLog, int manifoldGrid, int samples, long seed) {

    /** Writes and commits; returns the notes about skipped pictures (written files are listed by the caller). */
    public List<String> commit(Renderer renderer, HadoopFiles files, RenderFiles target, boolean overwrite, int latentSize) {
        List<String> notes = new ArrayList<>();
        // An output without _SUCCESS is a leftover of a crash between rename and marker: writeStaged replaces it.
        files.writeStaged(target.dir(), overwrite, dir -> {
            RenderFiles staged = target.stagedIn(dir);
            files.mkdirs(staged.dir());
            renderer.reconstructions(staged.reconstructions(), examples);
            if (latentSize == 2) {
                renderer.manifold(staged.manifold(), manifoldGrid);
            } else {
                notes.add("skipped " + staged.manifold().getName() + ": the latent space is " + latentSize + "-D (the manifold needs 2-D)");
            }
            renderer.samples(staged.samples(), samples, seed);
            if (pairs.isEmpty()) {
                notes.add("skipped " + staged.interpolations().getName() + ": the test split has fewer than 2 examples");
            } else {
                renderer.interpolations(staged.interpolations(), pairs);
            }
            renderer.outliers(staged.outliers(), outliers);
            if (latentSize == 2 && latentMeans != null && !latentMeans.isEmpty()) {
                renderer.latentScatter(staged.latentScatter(), latentMeans);
            } else {
                notes.add("skipped " + staged.latentScatter().getName() + ": the latent space is " + latentSize + "-D (the scatter needs 2-D)");
            }
            if (trainingLog == null) {
                notes.add("skipped " + staged.trainingCurve().getName() + ": the run has no training log");
            } else if (trainingLog.stream().noneMatch(e -> Double.isFinite(e.trainNegElbo()) || Double.isFinite(e.valNegElbo()))) {
                notes.add("skipped " + staged.trainingCurve().getName() + ": the training log holds no -ELBO values");
            } else {
                renderer.trainingCurve(staged.trainingCurve(), trainingLog);
            }
            return null;
        });
        return notes;
    }
}

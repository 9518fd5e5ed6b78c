package io.sparkvae.score;

import io.sparkvae.data.ImageShape;
import io.sparkvae.image.PictureWriter;
import io.sparkvae.image.TileGrid;
import io.sparkvae.io.HadoopFiles;
import io.sparkvae.model.PixelMatrix;
import io.sparkvae.model.Vae;
import io.sparkvae.provenance.Provenance;
import io.sparkvae.render.PairLayout;
import java.awt.image.BufferedImage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.fs.Path;

/**
 * The most unusual files as a picture (through {@link PictureWriter}, with its sidecar): each file as it was scored
 * (odd rows) above its reconstruction at the posterior mean (even rows), captioned with its -ELBO in nats.
 */
public final class MostUnusualPicture {
    private MostUnusualPicture() {}

    /** Draws the files of {@code unusual} (at least one) at {@code scale} times their size into {@code png}. */
    public static void write(HadoopFiles files, Path png, MostUnusual unusual, String negElbo, Vae vae, ImageShape shape, int scale,
                             Provenance provenance) {
        List<float[]> recon = List.of(vae.decode(PixelMatrix.of(unusual.latentMean())).toFloatMatrix());
        PairLayout layout = PairLayout.of(unusual.pixels(), recon, PairLayout.columnsFor(unusual.pixels().size()));
        List<String> captions = unusual.scores().stream()
                .map(s -> String.format(Locale.ROOT, "%.1f", ((Number) s.get(negElbo)).doubleValue())).toList();
        BufferedImage grid = TileGrid.compose(layout.tiles(), shape, layout.columns(), layout.rows(), scale, 0);
        int band = Math.max(14, 5 * scale);
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("shows", "the scored files with the highest -ELBO (the model's most unusual), highest first: each file as "
                + "decoded by the dataset's rules (odd rows) above its reconstruction at E[z|x] (even rows), each pair "
                + "captioned with its -ELBO in nats");
        d.put("grid", layout.columns() + "x" + layout.rows());
        d.put("scale", scale);
        d.put("caption_band_pixels", band);
        d.put("files", unusual.scores().stream().map(s -> s.get(FileScores.PATH)).toList());
        new PictureWriter(files).write(png, TileGrid.png(TileGrid.captioned(grid, layout.columns(), layout.rows(), 2, captions, band)),
                d, provenance);
    }
}

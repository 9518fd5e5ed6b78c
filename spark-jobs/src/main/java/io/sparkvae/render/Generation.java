package io.sparkvae.render;

import io.sparkvae.data.ImageShape;
import io.sparkvae.image.PictureWriter;
import io.sparkvae.io.HadoopFiles;
import io.sparkvae.layout.RunLayout.GenerateFiles;
import io.sparkvae.provenance.Provenance;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * Writes the generate stage's folder from drawn samples ({@link PriorSamples}): {@code samples.parquet} and, when
 * asked, one PNG per sample, both written by the executors; the grid of the first samples through the
 * {@link Renderer}; all into a temporary sibling committed with {@code _SUCCESS} last.
 */
public final class Generation {
    private Generation() {}

    /**
     * @param samples  the drawn samples (read several times: persist them)
     * @param count    how many there are
     * @param grid     tiles of the grid picture
     * @param images   also one PNG per sample
     */
    public static void commit(Dataset<Row> samples, long count, int grid, boolean images, Renderer renderer, ImageShape shape,
                              int scale, long seed, Provenance provenance, HadoopFiles files, GenerateFiles target,
                              boolean overwrite) {
        // An output without _SUCCESS is a leftover of a crash between rename and marker: writeStaged replaces it.
        files.writeStaged(target.dir(), overwrite, dir -> {
            GenerateFiles staged = target.stagedIn(dir);
            samples.write().parquet(staged.samples().toString());
            List<float[]> first = new ArrayList<>();
            for (Row r : samples.where(functions.col(PriorSamples.INDEX).lt(grid)).orderBy(PriorSamples.INDEX)
                    .select(PriorSamples.PIXELS).collectAsList()) {
                List<Float> px = r.getList(0);
                float[] p = new float[px.size()];
                for (int i = 0; i < p.length; i++) {
                    p[i] = px.get(i);
                }
                first.add(p);
            }
            renderer.generated(staged.grid(), first, count, seed);
            if (images) {
                String stagedDir = staged.dir().toString();
                samples.select(PriorSamples.INDEX, PriorSamples.PIXELS).foreachPartition(rows -> {
                    PictureWriter writer = new PictureWriter(HadoopFiles.withDefaults());
                    GenerateFiles out = new GenerateFiles(new org.apache.hadoop.fs.Path(stagedDir));
                    while (rows.hasNext()) {
                        Row r = rows.next();
                        List<Float> px = r.getList(1);
                        float[] p = new float[px.size()];
                        for (int i = 0; i < p.length; i++) {
                            p[i] = px.get(i);
                        }
                        writer.writeSeriesMember(out.image(r.getLong(0)), Renderer.tilePng(p, shape, scale));
                    }
                });
                Map<String, Object> d = renderer.describe("each generated sample as its own picture: images/sample-NNNNNN.png is "
                        + "row NNNNNN of samples.parquet (the decoder means p(x|z) of its draw z ~ N(0, I))");
                d.put("samples", count);
                d.put("seed", seed);
                new PictureWriter(files).describeSeries(staged.images(), d, provenance);
            }
            return null;
        });
    }
}

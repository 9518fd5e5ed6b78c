package io.sparkvae.page;

import io.sparkvae.data.ImageShape;
import io.sparkvae.image.TileGrid;
import io.sparkvae.model.Vae;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The test examples the explorer plots: their indices, labels (null without), posterior means and pixels (shipped as
 * one PNG contact sheet, a tile per example, so hovering a point can show its image).
 *
 * @param total how many examples the test split holds (the sample is its first ones by index)
 */
public record LatentSample(long total, List<Integer> indices, List<Integer> labels, List<float[]> means, List<float[]> pixels) {
    /** Tiles per row of the contact sheet. */
    static final int ATLAS_COLUMNS = 50;

    /** Encodes {@code pixels} (HWC in [0,1]) with {@code vae}: the posterior mean of each. */
    public static LatentSample encode(Vae vae, long total, List<Integer> indices, List<Integer> labels, List<float[]> pixels) {
        List<float[]> means = new ArrayList<>();
        if (!pixels.isEmpty()) {
            float[][] x = pixels.toArray(float[][]::new);
            float[][] mu = vae.encode(Nd4j.create(x).castTo(DataType.FLOAT)).mean().toFloatMatrix();
            means.addAll(List.of(mu));
        }
        return new LatentSample(total, List.copyOf(indices), new ArrayList<>(labels), means, List.copyOf(pixels));
    }

    public int size() {
        return indices.size();
    }

    /** Whether any example has a label (the points are then coloured by it). */
    public boolean labelled() {
        return labels.stream().anyMatch(l -> l != null);
    }

    /** The contact sheet of the examples, {@link #ATLAS_COLUMNS} per row, at their own size. */
    public byte[] atlasPng(ImageShape shape) {
        int columns = Math.max(1, Math.min(ATLAS_COLUMNS, size()));
        int rows = Math.max(1, (size() + columns - 1) / columns);
        return PixelBlocks.png(TileGrid.compose(pixels, shape, columns, rows, 1, 0));
    }

    /** What the page's script reads: indices, labels and means (base64 float32, row-major); the sheet is an image. */
    public Map<String, Object> toJsonWithoutAtlas() {
        int nz = means.isEmpty() ? 0 : means.get(0).length;
        ByteBuffer b = ByteBuffer.allocate(size() * nz * 4).order(ByteOrder.LITTLE_ENDIAN);
        means.forEach(m -> {
            for (float v : m) {
                b.putFloat(v);
            }
        });
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("total", total);
        m.put("count", size());
        m.put("columns", Math.max(1, Math.min(ATLAS_COLUMNS, size())));
        m.put("index", indices);
        m.put("label", labelled() ? labels : null);
        m.put("means", Base64.getEncoder().encodeToString(b.array()));
        return m;
    }
}

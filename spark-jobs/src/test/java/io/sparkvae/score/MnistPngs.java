package io.sparkvae.score;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import javax.imageio.ImageIO;

/** PNG files of a prepared MNIST split, one per example named by its index (path order is index order). */
final class MnistPngs {
    private MnistPngs() {}

    /**
     * Writes {@code <folder>/NNNNN.png} (8-bit grey) for every example of the split folder {@code split}, and
     * {@code truncated}: the last one's first half.
     */
    static void write(SparkSession spark, Path split, Path folder, String truncated) throws IOException {
        Files.createDirectories(folder);
        byte[] last = null;
        for (Row r : spark.read().parquet(split.toString()).select("index", "pixels").collectAsList()) {
            last = png(r.getList(1));
            Files.write(folder.resolve(String.format(Locale.ROOT, "%05d.png", r.getInt(0))), last);
        }
        Files.write(folder.resolve(truncated), Arrays.copyOf(last, last.length / 2));
    }

    /** The index a file of {@link #write} was named by. */
    static int indexOf(String path) {
        return Integer.parseInt(path.substring(path.lastIndexOf('/') + 1, path.lastIndexOf('.')));
    }

    private static byte[] png(List<Object> pixels) {
        BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        for (int i = 0; i < 784; i++) {
            img.getRaster().setSample(i % 28, i / 28, 0, Math.round(((Float) pixels.get(i)) * 255f));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}

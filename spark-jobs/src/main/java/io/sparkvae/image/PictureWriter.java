package io.sparkvae.image;

import io.sparkvae.io.HadoopFiles;
import io.sparkvae.io.Json;
import io.sparkvae.provenance.Provenance;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.fs.Path;

/**
 * The one image writer: a picture and its sidecar JSON ({@code x.png} + {@code x.json}: what it shows and its
 * provenance) through the FileSystem helper, so pictures land on HDFS as readily as on local disk.
 */
public final class PictureWriter {
    private final HadoopFiles files;

    public PictureWriter(HadoopFiles files) {
        this.files = files;
    }

    /** The sidecar of picture {@code png}: the same name with {@code .json} for {@code .png}. */
    public static Path sidecarOf(Path png) {
        String name = png.getName().replaceFirst("\\.png$", "") + ".json";
        return png.getParent() == null ? new Path(name) : new Path(png.getParent(), name);
    }

    /**
     * @param png         the picture's file
     * @param pngBytes    encoded PNG
     * @param description what it shows (grid, scale, epoch...), written beside {@code provenance}
     */
    public void write(Path png, byte[] pngBytes, Map<String, Object> description, Provenance provenance) {
        files.writeBytes(png, pngBytes);
        Map<String, Object> sidecar = new LinkedHashMap<>(description);
        sidecar.put("file", png.getName());
        sidecar.put("provenance", provenance);
        files.writeString(sidecarOf(png), Json.write(sidecar));
    }

    /**
     * One picture of a series in {@code folder} (e.g. one PNG per generated sample): the series has one sidecar,
     * written by {@link #describeSeries}, instead of one per picture.
     */
    public void writeSeriesMember(Path png, byte[] pngBytes) {
        files.writeBytes(png, pngBytes);
    }

    /** The sidecar of a series of pictures in {@code folder}: {@code <folder>.json}, what they show and provenance. */
    public void describeSeries(Path folder, Map<String, Object> description, Provenance provenance) {
        Map<String, Object> sidecar = new LinkedHashMap<>(description);
        sidecar.put("folder", folder.getName());
        sidecar.put("provenance", provenance);
        files.writeString(new Path(folder.getParent(), folder.getName() + ".json"), Json.write(sidecar));
    }
}

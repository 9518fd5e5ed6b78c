package io.sparkvae.image;

import io.sparkvae.io.HadoopFiles;
import io.sparkvae.provenance.Provenance;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.fs.Path;

/**
 * Writes a picture and its sidecar JSON ({@code x.png} + {@code x.json}: what it shows and its provenance)
 * through the FileSystem helper, so pictures land on HDFS as readily as on local disk.
 */
public final class PictureWriter {
    private final HadoopFiles files;

    public PictureWriter(HadoopFiles files) {
        this.files = files;
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
        try {
            String name = png.getName().replaceFirst("\\.png$", "") + ".json";
            files.writeString(new Path(png.getParent(), name), Provenance.json().writeValueAsString(sidecar));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}

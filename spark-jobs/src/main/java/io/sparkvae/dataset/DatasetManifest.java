package io.sparkvae.dataset;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.sparkvae.data.Compositing;
import io.sparkvae.data.ImageShape;
import io.sparkvae.data.ImageTarget;
import io.sparkvae.data.Resize;
import io.sparkvae.io.BadInputException;
import io.sparkvae.io.HadoopFiles;
import io.sparkvae.io.Json;
import io.sparkvae.provenance.Provenance;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.fs.Path;

/**
 * {@code manifest.json} of a prepared dataset: what it holds and where it came from. Its {@link #hash()} is the
 * dataset's identity ("dataset manifest hash") every downstream model, metric and picture records.
 *
 * @param dataset      the dataset's name (data.dataset)
 * @param format       how it was read: the format's name and every setting (data.format and its keys, the preset,
 *                     the split fractions), and what reading found (label table, skipped files, digest method)
 * @param sources      raw source (as configured) to the SHA-256 of its content
 * @param shape        one example's shape (HWC)
 * @param limit        per-split cap used (0 = none)
 * @param splits       split name to its count and first source index
 * @param provenance   what made it
 */
public record DatasetManifest(
        String dataset, Map<String, Object> format, Map<String, String> sources, ImageShape shape, int limit, Map<String, Split> splits,
        Provenance provenance) {

    public static final String FILE = "manifest.json";

    /** A split's size, its source and its smallest index. */
    public record Split(String source, int count, @JsonProperty("first_index") int firstIndex) {}

    /**
     * The rules every image file is brought to this dataset's examples by, as the format recorded them: an image
     * folder's or Parquet table's size, channels, resize and background; a sprite sheet's tile shape, channels and
     * background; an IDX set's shape (grey, no transparency). The last three take images of exactly that size.
     *
     * @throws BadInputException when the manifest lacks what its format needs (a damaged or foreign manifest)
     */
    public ImageTarget imageTarget() {
        Map<String, Object> f = format == null ? Map.of() : format;
        Object name = f.get("name");
        try {
            if ("image-folder".equals(name) || "parquet".equals(name)) {
                return new ImageTarget(number(f, "width"), number(f, "height"), number(f, "channels"),
                        Resize.parse(String.valueOf(f.get("resize"))), Compositing.parseColour(String.valueOf(f.get("background"))));
            }
            if ("sprite-sheet".equals(name)) {
                return new ImageTarget(shape.width(), shape.height(), shape.channels(), Resize.NONE,
                        Compositing.parseColour(String.valueOf(f.get("background"))));
            }
            if ("idx".equals(name)) {
                return new ImageTarget(shape.width(), shape.height(), shape.channels(), Resize.NONE, 0x000000);
            }
        } catch (IllegalArgumentException e) {
            throw new BadInputException("dataset manifest of " + dataset + ": format " + f + " gives no image rules (" + e.getMessage() + ")");
        }
        throw new BadInputException("dataset manifest of " + dataset + ": format '" + name + "' is not one this version reads");
    }

    private static int number(Map<String, Object> format, String key) {
        if (!(format.get(key) instanceof Number n)) {
            throw new IllegalArgumentException(key + " is " + format.get(key) + ", not a number");
        }
        return n.intValue();
    }

    public String toJson() {
        try {
            return Json.mapper().writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static DatasetManifest fromJson(String json, String origin) {
        try {
            return Json.mapper().readValue(json, DatasetManifest.class);
        } catch (JsonProcessingException e) {
            throw new BadInputException(origin + ": not a dataset manifest (" + e.getOriginalMessage() + ")");
        }
    }

    /** Reads the manifest of a dataset folder. */
    public static DatasetManifest read(HadoopFiles files, Path datasetDir) {
        Path p = new Path(datasetDir, FILE);
        return fromJson(files.readString(files.requireFile(p, "dataset manifest")), p.toString());
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The dataset's identity, which downstream artifacts record: SHA-256 of what determines its content (the data
     * set, how it was read, the raw sources' hashes, the example shape, the limit and the splits), and of nothing else: not when or by
     * which run or code version it was made, so preparing the same raw files with the same settings again gives the
     * same identity and nothing downstream looks stale.
     */
    public String hash() {
        Map<String, Object> content = new LinkedHashMap<>();
        content.put("identity", "dataset-v1"); // bump when the same settings would slice different examples
        content.put("dataset", dataset);
        content.put("format", new TreeMap<>(format == null ? Map.of() : format));
        content.put("sources", new TreeMap<>(sources));
        content.put("shape", shape);
        content.put("limit", limit);
        content.put("splits", new TreeMap<>(splits));
        try {
            return sha256(Json.mapper().writeValueAsBytes(content));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * True when {@code recorded} (a hash an artifact recorded) names this dataset: its identity, or the hash earlier
     * versions recorded (SHA-256 of the whole manifest, time stamp included), so their outputs do not all look stale.
     */
    public boolean isIdentifiedBy(String recorded) {
        return recorded != null && (recorded.equals(hash()) || recorded.equals(sha256(toJson().getBytes(StandardCharsets.UTF_8))));
    }
}

package io.sparkvae.data;

import java.util.Arrays;
import java.util.Locale;

/** How an image of another size is brought to the target size. */
public enum Resize {
    /** Not at all: every image must already have the target size. */
    NONE,
    /** Scaled to exactly the target size, aspect ratio ignored. */
    STRETCH,
    /** Scaled to fit inside the target, keeping the aspect ratio; the rest is padded with the background. */
    FIT,
    /** Scaled so the short side fills the target, keeping the aspect ratio, then centre-cropped. */
    CROP;

    /** The config spelling: {@code none}, {@code stretch}, {@code fit}, {@code crop}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses the config spelling; IllegalArgumentException names the choices. */
    public static Resize parse(String s) {
        for (Resize r : values()) {
            if (r.configName().equals(s)) {
                return r;
            }
        }
        throw new IllegalArgumentException("'" + s + "' is not one of "
                + String.join(", ", Arrays.stream(values()).map(Resize::configName).toList()));
    }
}

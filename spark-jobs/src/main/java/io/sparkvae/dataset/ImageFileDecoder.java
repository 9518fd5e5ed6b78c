package io.sparkvae.dataset;

import io.sparkvae.data.ArgbImage;
import io.sparkvae.data.ImageDecoder;
import io.sparkvae.data.ImageTarget;
import io.sparkvae.data.Resize;
import io.sparkvae.io.BadInputException;
import java.io.Serializable;

/**
 * One image file's bytes as an example's pixels, by a dataset's rules ({@link ImageTarget}): the per-file step of
 * prepare's image folders and binary Parquet columns, and of {@code vae score}, so a file becomes the same floats
 * whichever of them reads it.
 *
 * @param target the shape, resizing and background every image is brought to
 */
public record ImageFileDecoder(ImageTarget target) implements Serializable {

    /**
     * What became of one file: its pixels, or the problem that kept it from being read.
     *
     * @param pixels    HWC values in [0,1], or null
     * @param problem   one line without a location (the caller names the file), or null
     * @param wrongSize true when the image decoded but has another size and the rules take that size only
     *                  ({@link Resize#NONE}): the caller may say which setting would accept it
     */
    public record Outcome(float[] pixels, String problem, boolean wrongSize) {
        public boolean ok() {
            return problem == null;
        }
    }

    /** Decodes, converts and resizes {@code content} (a whole image file); never throws for a bad file. */
    public Outcome decode(byte[] content) {
        ArgbImage img;
        try {
            img = ImageDecoder.decode(content, SOURCE);
        } catch (BadInputException e) {
            // The decoder's message starts with the source name it was given; the caller adds the real location.
            return new Outcome(null, e.getMessage().substring(SOURCE.length() + 2), false);
        }
        if (target.resize() == Resize.NONE && !target.hasSize(img)) {
            return new Outcome(null, "image is " + img.width() + "x" + img.height() + ", not " + target.width() + "x"
                    + target.height(), true);
        }
        return new Outcome(target.pixels(img), null, false);
    }

    private static final String SOURCE = "image";
}

package io.sparkvae.page;

import java.util.Base64;

/**
 * One picture the run made, as the page shows it.
 *
 * @param stage   the stage that made it ({@code render}, {@code generate})
 * @param file    its name in the stage's folder
 * @param caption what it shows (its sidecar's {@code shows}, else the file name)
 * @param png     the encoded picture (its 1x version when {@link PixelBlocks} could shrink it)
 * @param width   the size to show it at in CSS pixels (the file's size), or 0 for the PNG's own
 * @param height  likewise
 */
public record PagePicture(String stage, String file, String caption, byte[] png, int width, int height) {

    /** A picture shown at its own size. */
    public PagePicture(String stage, String file, String caption, byte[] png) {
        this(stage, file, caption, png, 0, 0);
    }

    /** A {@code data:} URI for {@code png}. */
    public static String dataUri(byte[] png) {
        return "data:image/png;base64," + Base64.getEncoder().encodeToString(png);
    }
}

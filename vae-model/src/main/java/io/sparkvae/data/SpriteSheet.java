package io.sparkvae.data;

import io.sparkvae.io.BadInputException;
import java.io.Serializable;

/** One decoded image holding a grid of equal tiles, sliced into float images (alpha composited over a background). */
public final class SpriteSheet implements Serializable {
    private static final long serialVersionUID = 1L;

    private final ArgbImage sheet;
    private final SpriteGrid grid;
    private final int channels;
    private final int background;

    private SpriteSheet(ArgbImage sheet, SpriteGrid grid, int channels, int background) {
        this.sheet = sheet;
        this.grid = grid;
        this.channels = channels;
        this.background = background;
    }

    /**
     * Decodes the sheet and checks that it holds the grid.
     *
     * @param bytes      the image file (any format {@link ImageDecoder} reads)
     * @param source     name of the file, used in error messages
     * @param channels   1 (luminance) or 3 (RGB)
     * @param background 24-bit RGB that transparent pixels are composited over
     * @throws BadInputException (one line naming {@code source}) when the file is not a readable image or is smaller
     *                           than the grid
     */
    public static SpriteSheet decode(byte[] bytes, String source, SpriteGrid grid, int channels, int background) {
        ArgbImage img = ImageDecoder.decode(bytes, source);
        if (img.width() < grid.neededWidth() || img.height() < grid.neededHeight()) {
            throw new BadInputException(source + ": sprite sheet of " + img.width() + "x" + img.height() + " pixels is too small for "
                    + grid.count() + " tiles of " + grid.tileWidth() + "x" + grid.tileHeight() + " in " + grid.columns()
                    + " columns (needs at least " + grid.neededWidth() + "x" + grid.neededHeight() + ")");
        }
        return new SpriteSheet(img, grid, channels, background);
    }

    /** Shape of one tile. */
    public ImageShape shape() {
        return new ImageShape(grid.tileHeight(), grid.tileWidth(), channels);
    }

    /** Number of tiles. */
    public int count() {
        return grid.count();
    }

    /** Tile {@code index} as HWC floats in [0,1], composited over the background ({@link Compositing#region}). */
    public float[] tile(int index) {
        if (index < 0 || index >= grid.count()) {
            throw new IllegalArgumentException("tile index " + index + " out of range 0.." + (grid.count() - 1));
        }
        return Compositing.region(sheet, grid.x(index), grid.y(index), grid.tileWidth(), grid.tileHeight(), channels, background);
    }
}

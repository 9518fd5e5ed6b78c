package io.sparkvae.data;

/** The CryptoPunks sheet as a sprite sheet: 2400x2400, 100 x 100 punks of 24x24, row by row, RGB over black. */
public final class PunkSheet {
    /** Side of one punk in pixels. */
    public static final int TILE = 24;
    /** Punks per sheet row (and rows per sheet). */
    public static final int PER_ROW = 100;
    /** Number of punks on the sheet. */
    public static final int COUNT = PER_ROW * PER_ROW;
    /** The grid the punks lie in. */
    public static final SpriteGrid GRID = new SpriteGrid(TILE, TILE, PER_ROW, COUNT, false);
    /** Shape of one punk. */
    public static final ImageShape SHAPE = new ImageShape(TILE, TILE, 3);

    private PunkSheet() {}

    /** Decodes {@code punks.png} as RGB tiles over black (see {@link SpriteSheet#decode}). */
    public static SpriteSheet decode(byte[] png, String source) {
        return SpriteSheet.decode(png, source, GRID, 3, 0x000000);
    }
}

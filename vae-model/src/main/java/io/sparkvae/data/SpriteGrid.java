package io.sparkvae.data;

import java.io.Serializable;

/**
 * Where the tiles of a sprite sheet lie: {@code count} tiles of {@code tileWidth x tileHeight} in a grid of
 * {@code columns} columns (and as many rows as needed), numbered row by row or column by column from the top left.
 */
public record SpriteGrid(int tileWidth, int tileHeight, int columns, int count, boolean columnMajor) implements Serializable {

    public SpriteGrid {
        if (tileWidth <= 0 || tileHeight <= 0 || columns <= 0 || count <= 0) {
            throw new IllegalArgumentException("sprite grid needs positive tile size, columns and count, got "
                    + tileWidth + "x" + tileHeight + ", " + columns + " columns, " + count + " tiles");
        }
    }

    /** Rows of tiles: enough for {@code count}. */
    public int rows() {
        return (count + columns - 1) / columns;
    }

    /** Sheet width the grid needs. */
    public long neededWidth() {
        return (long) columns * tileWidth;
    }

    /** Sheet height the grid needs. */
    public long neededHeight() {
        return (long) rows() * tileHeight;
    }

    /** Left edge of tile {@code index}. */
    public int x(int index) {
        return (columnMajor ? index / rows() : index % columns) * tileWidth;
    }

    /** Top edge of tile {@code index}. */
    public int y(int index) {
        return (columnMajor ? index % rows() : index / columns) * tileHeight;
    }
}

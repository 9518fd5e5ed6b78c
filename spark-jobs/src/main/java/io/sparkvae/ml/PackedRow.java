package io.sparkvae.ml;

import io.sparkvae.dataset.PixelColumn;
import java.io.Serializable;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * A row as {@link VaeModel} ships it between executors to regroup it by index: its values with the image as one
 * primitive array instead of hundreds of boxed numbers (which Java serialization makes many times slower to shuffle).
 *
 * @param values the row's values, the image's slot empty
 * @param image  the image as {@link PixelColumn#raw} gives it
 */
record PackedRow(Object[] values, Object image) implements Serializable {

    static PackedRow of(Row row, PixelColumn pixels) {
        Object[] values = new Object[row.length()];
        for (int i = 0; i < values.length; i++) {
            values[i] = i == pixels.position() ? null : row.get(i);
        }
        return new PackedRow(values, pixels.raw(row));
    }

    /** The row as it came in. */
    Row row(PixelColumn pixels) {
        Object[] out = values.clone();
        out[pixels.position()] = pixels.value(image);
        return RowFactory.create(out);
    }
}

package io.sparkvae.onnx;

import io.sparkvae.data.ImageShape;

/**
 * What the graphs' pixel vectors are as images, for {@code model.json}: the shape (null when the caller does not know
 * it, e.g. a model fitted on a table of vectors) and the colour transparent pixels were composited over when the
 * images were prepared (null when the source had no transparency to composite, e.g. IDX files).
 *
 * @param shape      height, width and channels of one image, flattened in HWC order, or null
 * @param background {@code #rrggbb}, {@code black} or {@code white} as the dataset was prepared with, or null
 */
public record ImageLayout(ImageShape shape, String background) {
    /** The order pixel values are flattened in, everywhere in this project: row by row, channels innermost. */
    public static final String PIXEL_ORDER = "HWC";
}

package io.sparkvae.data;

import java.io.Serializable;

/** Shape of one image: height, width and channels, flattened in HWC order. */
public record ImageShape(int height, int width, int channels) implements Serializable {

    public ImageShape {
        if (height <= 0 || width <= 0 || channels <= 0) {
            throw new IllegalArgumentException("image shape must be positive, got " + height + "x" + width + "x" + channels);
        }
    }

    /** Number of values in one flattened image: height * width * channels. */
    public int size() {
        return height * width * channels;
    }
}

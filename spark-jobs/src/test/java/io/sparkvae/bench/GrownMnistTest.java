package io.sparkvae.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

/** The grown data set's copies are the images moved by their offset, with zeros moved in. */
class GrownMnistTest {
    @Test
    void shiftMovesPixelsRightAndDownAndFillsWithZeros() {
        float[] image = {
            1, 2, 3,
            4, 5, 6,
            7, 8, 9};
        assertArrayEquals(new float[] {
            0, 0, 0,
            0, 1, 2,
            0, 4, 5}, GrownMnist.shifted(image, 3, 3, 1, 1));
    }

    @Test
    void shiftMovesPixelsLeftAndUpOnNonSquareImages() {
        float[] image = {
            1, 2, 3, 4,
            5, 6, 7, 8};
        assertArrayEquals(new float[] {
            7, 8, 0, 0,
            0, 0, 0, 0}, GrownMnist.shifted(image, 4, 2, -2, -1));
    }
}

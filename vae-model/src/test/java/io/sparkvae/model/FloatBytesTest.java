package io.sparkvae.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class FloatBytesTest {

    @Test
    void valuesSurviveTheRoundTripInEveryForm() {
        float[] values = {0f, -1.5f, Float.MIN_VALUE, 3.4e38f, Float.NaN};
        byte[] bytes = FloatBytes.of(values);
        assertEquals(values.length * Float.BYTES, bytes.length);
        assertEquals(0x3f, bytes[4 + 3] & 0xff ^ 0x80, "little-endian: -1.5f = 0xbfc00000, its sign byte last");
        assertArrayEquals(values, FloatBytes.floats(bytes));
        assertArrayEquals(values, FloatBytes.row(bytes).data().asFloat());
        assertArrayEquals(bytes, FloatBytes.of(Nd4j.create(values, new long[] {1, values.length}, 'c'), "row"));

        INDArray into = Nd4j.zeros(DataType.FLOAT, 1, values.length);
        FloatBytes.copyInto(bytes, into, "row");
        assertArrayEquals(values, into.data().asFloat());
    }

    @Test
    void refusesArraysItCannotCopyWhole() {
        IllegalStateException size = assertThrows(IllegalStateException.class,
                () -> FloatBytes.copyInto(new byte[8], Nd4j.zeros(DataType.FLOAT, 1, 3), "parameters"));
        assertTrue(size.getMessage().contains("parameters: 2 values for a network of 3"), size.getMessage());
        IllegalStateException type = assertThrows(IllegalStateException.class,
                () -> FloatBytes.of(Nd4j.zeros(DataType.DOUBLE, 1, 3), "state"));
        assertTrue(type.getMessage().contains("state is not a contiguous float vector"), type.getMessage());
        INDArray strided = Nd4j.zeros(DataType.FLOAT, 4, 4).getColumn(1);
        assertThrows(IllegalStateException.class, () -> FloatBytes.of(strided, "column"));
    }
}

package io.sparkvae.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Exported minibatch files: the pixels come back bit for bit, once, and broken files are refused naming the file. */
class MinibatchFileTest {

    private static byte[] written(float[][] rows) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MinibatchFile.write(rows, out);
        return out.toByteArray();
    }

    @Test
    void pixelsRoundTripExactlyAndAreStoredOnce() throws IOException {
        float[][] rows = {{0f, 1f, 0.5f, 1e-7f}, {(17 * 200) / 65025f, 3f / 255f, Float.MIN_VALUE, 0.999f}};
        byte[] bytes = written(rows);
        assertEquals(12 + 4 * 8, bytes.length, "header + each pixel once as float32");
        INDArray x = MinibatchFile.read(new ByteArrayInputStream(bytes), "b.bin");
        assertEquals(DataType.FLOAT, x.dataType());
        assertArrayEquals(new long[] {2, 4}, x.shape());
        for (int r = 0; r < rows.length; r++) {
            assertArrayEquals(rows[r], x.getRow(r).toFloatVector());
        }
    }

    @Test
    void eightBitPixelsAreStoredAsOneByteEachAndReadBackBitForBit() throws IOException {
        float[][] rows = new float[2][256];
        for (int k = 0; k < 256; k++) {
            rows[k % 2][k / 2] = k / 255f;
            rows[(k + 1) % 2][(k + 128) % 256] = (255 - k) / 255f;
        }
        byte[] bytes = written(rows);
        assertEquals(12 + 2 * 256, bytes.length, "header + one byte per pixel");
        MinibatchFile.Minibatch batch = MinibatchFile.readPixels(new ByteArrayInputStream(bytes), "b.bin");
        assertTrue(batch.levels() != null && batch.floats() == null, "kept as levels in memory too");
        for (int r = 0; r < 2; r++) {
            float[] back = Arrays.copyOfRange(batch.pixels(), r * 256, (r + 1) * 256);
            for (int c = 0; c < 256; c++) {
                assertEquals(Float.floatToRawIntBits(rows[r][c]), Float.floatToRawIntBits(back[c]), "pixel " + r + "," + c);
            }
        }
        java.nio.FloatBuffer into = java.nio.FloatBuffer.allocate(2 * 256);
        batch.copyInto(into);
        assertArrayEquals(batch.pixels(), into.array(), "copied into a worker's matrix as decoded");
    }

    @Test
    void aValueOffTheLevelsKeepsTheMinibatchInFloat32() throws IOException {
        for (float odd : new float[] {0.5f, -0f, Float.NaN, 1.0000001f, 3f / 255f + 1e-7f}) {
            float[][] rows = {{0f, 1f, 3f / 255f}, {odd, 10f / 255f, 1f}};
            byte[] bytes = written(rows);
            assertEquals(12 + 4 * 6, bytes.length, odd + " is not a level: the file holds float32");
            float[] back = MinibatchFile.readPixels(new ByteArrayInputStream(bytes), "b.bin").pixels();
            assertEquals(Float.floatToRawIntBits(odd), Float.floatToRawIntBits(back[3]));
        }
    }

    @Test
    void theWorkersReadAMinibatchByItsEscapedUri(@TempDir java.nio.file.Path tmp) throws IOException {
        // A folder name with a space and a '#': the exporter names files by escaped URI.
        java.nio.file.Path file = tmp.resolve("my run #1").resolve("b.bin");
        java.nio.file.Files.createDirectories(file.getParent());
        java.nio.file.Files.write(file, written(new float[][] {{0.25f, 0.75f}}));
        String uri = new org.apache.hadoop.fs.Path(file.toUri()).toUri().toString();
        assertTrue(uri.contains("my%20run%20%231"), uri);
        MinibatchFile.Minibatch batch = MinibatchFile.load(uri);
        assertArrayEquals(new float[] {0.25f, 0.75f}, batch.pixels());
        assertEquals(1, batch.rows());
        assertEquals(2, batch.cols());
    }

    @Test
    void brokenFilesAreRefusedNamingTheFile() throws IOException {
        byte[] good = written(new float[][] {{1f, 2f, 3f}});
        IOException truncated = assertThrows(IOException.class,
                () -> MinibatchFile.read(new ByteArrayInputStream(Arrays.copyOf(good, good.length - 1)), "x/batch-1.bin"));
        assertTrue(truncated.getMessage().contains("x/batch-1.bin") && truncated.getMessage().contains("truncated"),
                truncated.getMessage());
        byte[] foreign = good.clone();
        foreign[0] = 'Z';
        IOException notOurs = assertThrows(IOException.class, () -> MinibatchFile.read(new ByteArrayInputStream(foreign), "y.bin"));
        assertTrue(notOurs.getMessage().contains("y.bin"), notOurs.getMessage());
        assertThrows(IllegalArgumentException.class, () -> MinibatchFile.write(new float[][] {{1f}, {1f, 2f}}, new ByteArrayOutputStream()));
    }
}

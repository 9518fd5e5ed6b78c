package io.sparkvae.data;

import io.sparkvae.io.BadInputException;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Serializable;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/** The decoded 2400x2400 CryptoPunks sheet, sliced into 10,000 RGB tiles of 24x24 composited over black. */
public final class PunkSheet implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Side of one punk in pixels. */
    public static final int TILE = 24;
    /** Punks per sheet row (and rows per sheet). */
    public static final int PER_ROW = 100;
    /** Number of punks on the sheet. */
    public static final int COUNT = PER_ROW * PER_ROW;
    /** Side of the whole sheet in pixels. */
    public static final int SIDE = TILE * PER_ROW;
    /** Shape of one tile as returned by {@link #tile(int)}. */
    public static final ImageShape SHAPE = new ImageShape(TILE, TILE, 3);

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    /** Non-premultiplied sRGB ARGB, row-major, SIDE*SIDE entries. */
    private final int[] argb;

    private PunkSheet(int[] argb) {
        this.argb = argb;
    }

    /**
     * Decodes the sheet from the bytes of a PNG of any colour type.
     *
     * @param png    the whole PNG file
     * @param source name of the file, used in error messages
     * @throws BadInputException (one line naming {@code source}) when the bytes are not a readable PNG or the
     *                           image is not 2400x2400
     */
    public static PunkSheet decode(byte[] png, String source) {
        if (png == null || png.length < PNG_SIGNATURE.length) {
            throw bad(source, "not a PNG: only " + (png == null ? 0 : png.length) + " bytes");
        }
        for (int i = 0; i < PNG_SIGNATURE.length; i++) {
            if (png[i] != PNG_SIGNATURE[i]) {
                throw bad(source, "not a PNG: bad signature");
            }
        }
        // An in-memory stream keeps ImageIO off the disk cache (executors may have no usable temp dir).
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(png))) {
            Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName("png");
            if (!readers.hasNext()) {
                throw bad(source, "no PNG decoder available in this JVM");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                // Check the size from the header before decoding so a huge image is refused without allocating it.
                int width = reader.getWidth(0);
                int height = reader.getHeight(0);
                if (width != SIDE || height != SIDE) {
                    throw bad(source, "punk sheet must be " + SIDE + "x" + SIDE + " pixels, found " + width + "x" + height);
                }
                return new PunkSheet(toArgb(reader.read(0)));
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof BadInputException b) {
                throw b;
            }
            throw new BadInputException(source + ": unreadable PNG: " + oneLine(e), e);
        }
    }

    /**
     * Punk {@code index} (tile row index/100, column index%100) as 24*24*3 floats in [0,1], HWC, RGB, composited
     * over black: each channel is {@code (c * a) / 65025f} for 8-bit colour c and alpha a, so transparency is black.
     */
    public float[] tile(int index) {
        if (index < 0 || index >= COUNT) {
            throw new IllegalArgumentException("punk index " + index + " out of range 0.." + (COUNT - 1));
        }
        int x0 = (index % PER_ROW) * TILE;
        int y0 = (index / PER_ROW) * TILE;
        float[] out = new float[SHAPE.size()];
        int k = 0;
        for (int y = 0; y < TILE; y++) {
            int row = (y0 + y) * SIDE + x0;
            for (int x = 0; x < TILE; x++) {
                int p = argb[row + x];
                int a = p >>> 24;
                out[k++] = ((p >>> 16 & 0xFF) * a) / 65025f;
                out[k++] = ((p >>> 8 & 0xFF) * a) / 65025f;
                out[k++] = ((p & 0xFF) * a) / 65025f;
            }
        }
        return out;
    }

    /** All pixels as non-premultiplied 8-bit sRGB ARGB, whatever the PNG's colour type and bit depth. */
    private static int[] toArgb(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        ColorModel cm = img.getColorModel();
        if (cm instanceof IndexColorModel || cm.getColorSpace().getType() != ColorSpace.TYPE_GRAY) {
            // Palette and RGB(A) images: getRGB converts any layout to ARGB exactly.
            return img.getRGB(0, 0, w, h, null, 0, w);
        }
        // Grey PNGs decode into Java's *linear* grey colour space, and getRGB would then brighten them
        // (grey 128 -> 188); a PNG grey sample is already display-encoded, so take the samples as they are.
        Raster r = img.getRaster();
        boolean alpha = r.getNumBands() > 1;
        int grayMax = (1 << cm.getComponentSize(0)) - 1;
        int alphaMax = alpha ? (1 << cm.getComponentSize(1)) - 1 : 0;
        int[] out = new int[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int g = to8(r.getSample(x, y, 0), grayMax);
                int a = alpha ? to8(r.getSample(x, y, 1), alphaMax) : 0xFF;
                out[y * w + x] = a << 24 | g << 16 | g << 8 | g;
            }
        }
        return out;
    }

    private static int to8(int sample, int max) {
        return (int) ((sample * 255L + max / 2) / max);
    }

    private static String oneLine(Throwable e) {
        // Decoder messages often come from the cause ("Error reading PNG image data" hides the EOF).
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (sb.length() > 0) {
                sb.append(": ");
            }
            sb.append(t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage());
        }
        return sb.toString().replaceAll("\\s*[\\r\\n]+\\s*", " ");
    }

    private static BadInputException bad(String source, String problem) {
        return new BadInputException(source + ": " + problem);
    }
}

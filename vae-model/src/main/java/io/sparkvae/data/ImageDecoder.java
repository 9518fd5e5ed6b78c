package io.sparkvae.data;

import io.sparkvae.io.BadInputException;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes an image file's bytes with {@code javax.imageio} (PNG of every colour type and bit depth, palette and
 * transparency included; JPEG; GIF, first frame; BMP; WBMP) into {@link ArgbImage}.
 */
public final class ImageDecoder {
    /** Largest image accepted, in pixels (4 bytes each once decoded): a corrupt or hostile header cannot exhaust memory. */
    public static final long MAX_PIXELS = 64L * 1024 * 1024;

    private ImageDecoder() {}

    /**
     * @param bytes  the whole file
     * @param source name of the file, used in error messages
     * @throws BadInputException (one line naming {@code source}) when no decoder recognises the bytes, decoding fails,
     *                           or the image is larger than {@link #MAX_PIXELS}
     */
    public static ArgbImage decode(byte[] bytes, String source) {
        if (bytes == null || bytes.length == 0) {
            throw bad(source, "empty file, not an image");
        }
        // An in-memory stream keeps ImageIO off the disk cache (executors may have no usable temp dir).
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw bad(source, "not an image javax.imageio can decode (" + bytes.length + " bytes, no decoder recognises them)");
            }
            ImageReader reader = readers.next();
            String format = reader.getFormatName().toUpperCase(Locale.ROOT);
            try {
                reader.setInput(in, true, true);
                // Check the size from the header before decoding so a huge image is refused without allocating it.
                int width = reader.getWidth(0);
                int height = reader.getHeight(0);
                if (width <= 0 || height <= 0 || (long) width * height > MAX_PIXELS) {
                    throw bad(source, format + " image of " + width + "x" + height + " pixels is outside 1.." + MAX_PIXELS + " pixels");
                }
                return new ArgbImage(width, height, toArgb(reader.read(0)));
            } catch (IOException | RuntimeException e) {
                if (e instanceof BadInputException b) {
                    throw b;
                }
                throw new BadInputException(source + ": unreadable " + format + " image: " + oneLine(e), e);
            } finally {
                reader.dispose();
            }
        } catch (IOException e) {
            throw new BadInputException(source + ": unreadable image: " + oneLine(e), e);
        }
    }

    /** All pixels as non-premultiplied 8-bit sRGB ARGB, whatever the colour type and bit depth. */
    private static int[] toArgb(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        ColorModel cm = img.getColorModel();
        if (cm instanceof IndexColorModel || cm.getColorSpace().getType() != ColorSpace.TYPE_GRAY) {
            // Palette and RGB(A) images: getRGB converts any layout to ARGB exactly.
            return img.getRGB(0, 0, w, h, null, 0, w);
        }
        // Grey images decode into Java's *linear* grey colour space, and getRGB would then brighten them
        // (grey 128 -> 188); a PNG or JPEG grey sample is already display-encoded, so take the samples as they are.
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

    /** The exception's messages down its causes, on one line (decoders often hide the reason in the cause). */
    static String oneLine(Throwable e) {
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

package io.sparkvae.data;

import java.util.Locale;
import java.util.regex.Pattern;

/** Turns ARGB pixels into floats in [0,1]: alpha composited over a background colour, RGB or luminance. */
public final class Compositing {
    private static final Pattern HEX = Pattern.compile("#[0-9a-fA-F]{6}");

    private Compositing() {}

    /**
     * A background colour as 24-bit RGB: {@code #rrggbb}, {@code black} or {@code white}.
     *
     * @throws IllegalArgumentException on anything else
     */
    public static int parseColour(String colour) {
        String c = colour.strip().toLowerCase(Locale.ROOT);
        return switch (c) {
            case "black" -> 0x000000;
            case "white" -> 0xFFFFFF;
            default -> {
                if (!HEX.matcher(c).matches()) {
                    throw new IllegalArgumentException("'" + colour + "' is not a colour (#rrggbb, black or white)");
                }
                yield Integer.parseInt(c.substring(1), 16);
            }
        };
    }

    /**
     * One 8-bit channel {@code c} of alpha {@code a} over background channel {@code b}, exactly:
     * {@code (c*a + b*(255-a)) / 65025}. Over black this is {@code c*a/65025}, the punks' rule.
     */
    public static float over(int c, int a, int b) {
        return (c * a + b * (255 - a)) / 65025f;
    }

    /** Luminance (ITU-R BT.601 weights) of display-encoded RGB in [0,1]; a grey pixel keeps its value exactly. */
    public static float luma(float r, float g, float b) {
        if (r == g && g == b) {
            return r;
        }
        double y = 0.299 * r + 0.587 * g + 0.114 * b;
        return (float) Math.min(1.0, Math.max(0.0, y));
    }

    /**
     * The {@code width x height} region at ({@code x0}, {@code y0}) as HWC floats in [0,1], alpha composited over
     * {@code background} (24-bit RGB); 3 channels give RGB, 1 gives luminance.
     */
    public static float[] region(ArgbImage img, int x0, int y0, int width, int height, int channels, int background) {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("channels must be 1 or 3, got " + channels);
        }
        if (x0 < 0 || y0 < 0 || x0 + width > img.width() || y0 + height > img.height()) {
            throw new IllegalArgumentException("region " + width + "x" + height + " at " + x0 + "," + y0
                    + " lies outside the " + img.width() + "x" + img.height() + " image");
        }
        int br = background >>> 16 & 0xFF;
        int bg = background >>> 8 & 0xFF;
        int bb = background & 0xFF;
        float[] out = new float[width * height * channels];
        int k = 0;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int p = img.pixel(x0 + x, y0 + y);
                int a = p >>> 24;
                float r = over(p >>> 16 & 0xFF, a, br);
                float g = over(p >>> 8 & 0xFF, a, bg);
                float b = over(p & 0xFF, a, bb);
                if (channels == 3) {
                    out[k++] = r;
                    out[k++] = g;
                    out[k++] = b;
                } else {
                    out[k++] = luma(r, g, b);
                }
            }
        }
        return out;
    }
}

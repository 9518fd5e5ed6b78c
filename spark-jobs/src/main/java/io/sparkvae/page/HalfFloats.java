package io.sparkvae.page;

/** IEEE 754 binary16 ("half") conversion: the page ships the decoder's weights at half the bytes of float32. */
final class HalfFloats {
    private HalfFloats() {}

    /** The binary16 bits nearest to {@code f} (ties to even); overflow gives infinity, NaN stays NaN. */
    static short toHalf(float f) {
        int bits = Float.floatToRawIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        int exp = (bits >>> 23) & 0xff;
        int mant = bits & 0x7fffff;
        if (exp == 0xff) {
            return (short) (sign | 0x7c00 | (mant != 0 ? 0x200 : 0));
        }
        int e = exp - 127 + 15;
        if (e >= 0x1f) {
            return (short) (sign | 0x7c00);
        }
        if (e <= 0) {
            if (e < -10) {
                return (short) sign; // below half the smallest subnormal
            }
            mant |= 0x800000; // the implicit bit, then shift into a subnormal
            int shift = 14 - e;
            int half = mant >> shift;
            int rest = mant & ((1 << shift) - 1);
            int halfway = 1 << (shift - 1);
            if (rest > halfway || (rest == halfway && (half & 1) != 0)) {
                half++;
            }
            return (short) (sign | half);
        }
        int half = (e << 10) | (mant >> 13);
        int rest = mant & 0x1fff;
        if (rest > 0x1000 || (rest == 0x1000 && (half & 1) != 0)) {
            half++; // may carry into the exponent, which is the correct rounding
        }
        return (short) (sign | half);
    }

    /**
     * {@code h} rounded to its {@code bits} highest mantissa bits (ties to even; a carry into the exponent is the correct
     * rounding); infinities and NaN unchanged.
     */
    static short roundMantissa(short h, int bits) {
        int drop = 10 - bits;
        int magnitude = h & 0x7fff;
        if (drop <= 0 || magnitude >= 0x7c00) {
            return h;
        }
        int half = 1 << (drop - 1);
        int kept = magnitude >> drop;
        int rest = magnitude & ((1 << drop) - 1);
        if (rest > half || (rest == half && (kept & 1) != 0)) {
            kept++;
        }
        return (short) ((h & 0x8000) | Math.min(kept << drop, 0x7c00));
    }

    /** The float value of binary16 bits {@code h}. */
    static float toFloat(short h) {
        int bits = h & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1f;
        int mant = bits & 0x3ff;
        if (exp == 0) {
            float v = mant * 0x1p-24f;
            return sign != 0 ? -v : v;
        }
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        return Float.intBitsToFloat(sign | ((exp - 15 + 127) << 23) | (mant << 13));
    }
}

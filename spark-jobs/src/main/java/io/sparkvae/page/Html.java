package io.sparkvae.page;

import io.sparkvae.io.Json;

/** Escaping for what the page takes from files: text and attributes, and JSON inside a script element. */
public final class Html {
    private Html() {}

    /** {@code text} safe as element content or a quoted attribute value; null becomes the empty string. */
    public static String escape(Object text) {
        if (text == null) {
            return "";
        }
        String s = text.toString();
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * {@code value} as JSON that can sit inside {@code <script type="application/json">}: no {@code <}, {@code >} or
     * {@code &} (so no string can close the element) and no line separators JavaScript would choke on.
     */
    public static String scriptJson(Object value) {
        return Json.write(value).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
                .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029");
    }
}

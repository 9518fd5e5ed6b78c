package io.sparkvae.page;

import com.fasterxml.jackson.databind.JsonNode;
import io.sparkvae.data.ImageShape;
import io.sparkvae.image.TileGrid;
import io.sparkvae.io.Json;
import io.sparkvae.model.EpochMetrics;
import io.sparkvae.provenance.Provenance;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a run's page: one HTML file holding its styles, script, data and pictures, so it opens from the file system
 * with no network (its content security policy allows no fetch at all). Everything taken from files is escaped
 * ({@link Html}); the script draws the curves and runs the latent explorer from the embedded data.
 */
public final class PageHtml {
    private PageHtml() {}

    /** The page of {@code page}. */
    public static String of(RunPage page) {
        ImageShape shape = page.manifest().shape();
        StringBuilder h = new StringBuilder(1 << 20);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; ")
                .append("style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<link rel=\"icon\" href=\"data:,\">\n<title>").append(Html.escape(page.run())).append(" - spark-vae run</title>\n")
                .append("<style>").append(resource("page.css")).append("</style>\n</head><body>\n");
        header(h, page);
        h.append("<main>\n");
        overview(h, page, shape);
        metrics(h, page.evalMetrics());
        curves(h, page.epochs());
        explorer(h, page);
        unusual(h, page, shape);
        pictures(h, page);
        stages(h, page.events());
        config(h, page.provenance());
        h.append("</main>\n");
        h.append("<script type=\"application/json\" id=\"page-data\">").append(Html.scriptJson(data(page, shape)))
                .append("</script>\n<script>").append(resource("page.js")).append("</script>\n</body></html>\n");
        return h.toString();
    }

    private static void header(StringBuilder h, RunPage page) {
        Provenance p = page.provenance();
        h.append("<header><h1>").append(Html.escape(page.run())).append("</h1><p class=\"sub\">a variational autoencoder run of ")
                .append("spark-vae: page made ").append(Html.escape(p.createdAt())).append(" from commit <code>")
                .append(Html.escape(p.gitCommit())).append("</code></p>\n<nav>")
                .append("<a href=\"#overview\">Run</a><a href=\"#metrics\">Test metrics</a><a href=\"#curves\">Training</a>")
                .append("<a href=\"#explorer\">Latent explorer</a><a href=\"#unusual\">Unusual examples</a>")
                .append("<a href=\"#pictures\">Pictures</a><a href=\"#stages\">Stages</a><a href=\"#config\">Config</a></nav></header>\n");
    }

    private static void overview(StringBuilder h, RunPage page, ImageShape shape) {
        Map<String, Object> rows = new LinkedHashMap<>();
        rows.put("run", page.run());
        rows.put("seed", page.provenance().seed());
        rows.put("dataset", page.manifest().dataset() + " (" + page.manifest().format().getOrDefault("name", "?") + ")");
        rows.put("image shape", shape.height() + " x " + shape.width() + " x " + shape.channels()
                + (shape.channels() == 1 ? " (grey)" : " (RGB)"));
        StringBuilder splits = new StringBuilder();
        page.manifest().splits().forEach((k, v) -> splits.append(splits.length() == 0 ? "" : ", ").append(k).append(' ').append(v.count()));
        rows.put("splits", splits.toString());
        rows.put("model", page.spec().inputSize() + " - " + page.spec().hiddenSizes() + " - " + page.spec().latentSize()
                + " (" + page.spec().activation() + ", " + page.spec().weightInit() + " init, " + page.spec().optimizer() + " "
                + page.spec().learningRate() + ")");
        rows.put("parameters", String.format(Locale.ROOT, "%,d", page.spec().parameterCount()));
        rows.put("epochs trained", page.epochs().isEmpty() ? "no training log" : String.valueOf(page.epochs().size()));
        rows.put("dataset SHA-256", page.provenance().datasetSha256());
        rows.put("model SHA-256", page.provenance().modelSha256());
        rows.put("git commit", page.provenance().gitCommit());
        rows.put("page made", page.provenance().createdAt());
        h.append("<section id=\"overview\"><h2>Run</h2>");
        table(h, rows, "overview");
        h.append("</section>\n");
    }

    private static void metrics(StringBuilder h, JsonNode metrics) {
        h.append("<section id=\"metrics\"><h2>Test metrics</h2>");
        if (metrics == null || !metrics.isObject()) {
            h.append("<p class=\"note\">Not evaluated: <code>eval/metrics.json</code> is missing (run <code>vae evaluate</code>).</p>");
        } else {
            Map<String, Object> rows = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = metrics.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getValue().isValueNode()) {
                    rows.put(e.getKey(), e.getValue().isNumber() ? number(e.getValue().doubleValue()) : e.getValue().asText());
                }
            }
            h.append("<p class=\"note\">From <code>eval/metrics.json</code>: nats per test image (lower -ELBO is better; ")
                    .append("<code>test_log_likelihood_is</code> is the importance-sampled log p(x)).</p>");
            table(h, rows, "metrics-table");
        }
        h.append("</section>\n");
    }

    private static void curves(StringBuilder h, List<EpochMetrics> epochs) {
        h.append("<section id=\"curves\"><h2>Training</h2>");
        if (epochs.isEmpty()) {
            h.append("<p class=\"note\">No training log (<code>metrics.jsonl</code>).</p>");
        } else {
            h.append("<p class=\"note\">From <code>metrics.jsonl</code>, one point per epoch; hover a chart for the values.</p>")
                    .append("<div class=\"charts\"><div class=\"chart\" id=\"chart-elbo\"></div><div class=\"chart\" id=\"chart-speed\">")
                    .append("</div></div><div id=\"chart-tip\" class=\"tip\" hidden></div>");
        }
        h.append("</section>\n");
    }

    private static void explorer(StringBuilder h, RunPage page) {
        LatentSample s = page.sample();
        h.append("<section id=\"explorer\"><h2>Latent explorer</h2><p class=\"note\">")
                .append(String.format(Locale.ROOT, "The posterior means of %,d of the %,d test examples (the first by index)", s.size(), s.total()))
                .append(s.labelled() ? ", coloured by label" : "")
                .append(". Move the pointer over the plane: the decoder runs in this page and draws that point; ")
                .append("near a test point its image and reconstruction (the decoded mean) show on the right.</p>\n")
                .append("<div class=\"explorer\"><div><canvas id=\"plane\" width=\"440\" height=\"440\"></canvas>")
                .append("<div id=\"plane-axes\" class=\"note\"></div><div id=\"sliders\"></div><div id=\"legend\"></div></div>")
                .append("<div class=\"side\"><h3>Decoded at the pointer</h3><canvas id=\"decoded\"></canvas><div id=\"decoded-z\" class=\"mono\"></div>")
                .append("<h3>Nearest test example</h3><div class=\"pair\"><figure><canvas id=\"hover-original\"></canvas><figcaption>image</figcaption></figure>")
                .append("<figure><canvas id=\"hover-recon\"></canvas><figcaption>reconstruction</figcaption></figure></div>")
                .append("<div id=\"hover-info\" class=\"mono\">hover a point</div></div></div>\n")
                .append("<img id=\"atlas\" alt=\"the plotted test examples\" hidden src=\"")
                .append(s.size() == 0 ? PagePicture.dataUri(TileGrid.png(TileGrid.compose(List.of(), page.manifest().shape(), 1, 1, 1, 0)))
                        : PagePicture.dataUri(s.atlasPng(page.manifest().shape())))
                .append("\">\n<p class=\"note\">Decoder weights shipped as ").append(page.decoder().describe())
                .append(String.format(Locale.ROOT, "; largest difference from the JVM decoder at %d probe points: %.2g (of 1).",
                        Math.min(64, s.size()) + 1, page.decoder().maxDeviation()))
                .append("</p></section>\n");
    }

    private static void unusual(StringBuilder h, RunPage page, ImageShape shape) {
        h.append("<section id=\"unusual\"><h2>Unusual examples</h2>");
        if (page.unusual() == null) {
            h.append("<p class=\"note\">No encode output (<code>").append(Html.escape(page.unusualSource()))
                    .append("</code>): run <code>vae encode</code> to list the test examples the model finds least likely.</p>");
        } else {
            h.append("<p class=\"note\">The ").append(page.unusual().size()).append(" examples with the highest -ELBO in <code>")
                    .append(Html.escape(page.unusualSource())).append("</code> (nats; higher: the model finds them less likely).</p>")
                    .append("<div class=\"cards\">");
            int rank = 1;
            for (UnusualExample u : page.unusual()) {
                h.append("<figure class=\"card\">");
                if (u.pixels() != null) {
                    byte[] png = TileGrid.png(TileGrid.compose(List.of(u.pixels()), shape, 1, 1, 1, 0));
                    h.append("<img class=\"px\" width=\"").append(shape.width() * 4).append("\" height=\"").append(shape.height() * 4)
                            .append("\" alt=\"example ").append(Html.escape(u.key())).append("\" src=\"").append(PagePicture.dataUri(png)).append("\">");
                }
                h.append("<figcaption>#").append(rank++).append(" <b>").append(Html.escape(number(u.negElbo()))).append("</b><br>")
                        .append(Html.escape(u.keyColumn() + " " + u.key())).append(u.label() == null ? "" : " (label " + u.label() + ")")
                        .append("</figcaption></figure>");
            }
            h.append("</div>");
        }
        h.append("</section>\n");
    }

    private static void pictures(StringBuilder h, RunPage page) {
        h.append("<section id=\"pictures\"><h2>Pictures</h2>");
        if (page.pictures().isEmpty()) {
            h.append("<p class=\"note\">No pictures yet (run <code>vae render</code> and <code>vae generate</code>).</p>");
        }
        for (PagePicture p : page.pictures()) {
            h.append("<figure class=\"picture\"><img alt=\"").append(Html.escape(p.file()));
            if (p.width() > 0) {
                h.append("\" width=\"").append(p.width()).append("\" height=\"").append(p.height());
            }
            h.append("\" src=\"")
                    .append(PagePicture.dataUri(p.png())).append("\"><figcaption><code>").append(Html.escape(p.stage() + "/" + p.file()))
                    .append("</code>: ").append(Html.escape(p.caption())).append("</figcaption></figure>\n");
        }
        if (page.unlistedImages() > 0) {
            h.append("<p class=\"note\">").append(page.unlistedImages())
                    .append(" more: one picture per generated sample in <code>generate/images/</code> (not copied into the page).</p>");
        }
        h.append("</section>\n");
    }

    private static void stages(StringBuilder h, List<JsonNode> events) {
        h.append("<section id=\"stages\"><h2>Stages</h2>");
        List<String[]> rows = StageRows.of(events);
        if (rows.isEmpty()) {
            h.append("<p class=\"note\">No stage events (<code>events.jsonl</code>).</p>");
        } else {
            h.append("<p class=\"note\">From <code>events.jsonl</code>, in the order the stages ran.</p><table class=\"grid\"><thead><tr>");
            for (String c : StageRows.COLUMNS) {
                h.append("<th>").append(Html.escape(c)).append("</th>");
            }
            h.append("</tr></thead><tbody>");
            for (String[] r : rows) {
                h.append("<tr class=\"outcome-").append(Html.escape(r[1])).append("\">");
                for (String c : r) {
                    h.append("<td>").append(Html.escape(c)).append("</td>");
                }
                h.append("</tr>");
            }
            h.append("</tbody></table>");
        }
        h.append("</section>\n");
    }

    private static void config(StringBuilder h, Provenance p) {
        h.append("<section id=\"config\"><h2>Config</h2><p class=\"note\">The resolved job configuration this page was made with.</p>")
                .append("<pre>").append(Html.escape(Json.write(p.config()))).append("</pre></section>\n");
    }

    private static void table(StringBuilder h, Map<String, Object> rows, String id) {
        h.append("<table class=\"kv\" id=\"").append(id).append("\"><tbody>");
        rows.forEach((k, v) -> h.append("<tr><th>").append(Html.escape(k)).append("</th><td>").append(Html.escape(v == null ? "-" : v))
                .append("</td></tr>"));
        h.append("</tbody></table>");
    }

    private static Map<String, Object> data(RunPage page, ImageShape shape) {
        List<Map<String, Object>> epochs = new ArrayList<>();
        for (EpochMetrics e : page.epochs()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("epoch", e.epoch());
            m.put("train", finite(e.trainNegElbo()));
            m.put("val", finite(e.valNegElbo()));
            m.put("speed", finite(e.imagesPerSecond()));
            m.put("seconds", finite(e.seconds()));
            epochs.add(m);
        }
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("run", page.run());
        d.put("shape", Map.of("height", shape.height(), "width", shape.width(), "channels", shape.channels()));
        d.put("epochs", epochs);
        d.put("sample", page.sample().toJsonWithoutAtlas());
        d.put("decoder", page.decoder().toJson());
        return d;
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    static String number(double v) {
        if (!Double.isFinite(v)) {
            return String.valueOf(v);
        }
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.4f", v);
    }

    private static String resource(String name) {
        try (InputStream in = PageHtml.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("resource io/sparkvae/page/" + name + " is missing from the build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package io.sparkvae.page;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sparkvae.data.ImageShape;
import io.sparkvae.dataset.DatasetManifest;
import io.sparkvae.io.Json;
import io.sparkvae.model.EpochMetrics;
import io.sparkvae.model.Vae;
import io.sparkvae.model.VaeSpec;
import io.sparkvae.provenance.Provenance;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/** The page without Spark: a run with one epoch, no labels, no evaluation, no encode output, and hostile text. */
class PageHtmlTest {
    private static final String HOSTILE = "</script><img src=x onerror=alert(1)>";

    @Test
    void aBareRunGetsACompletePageAndEverythingFromFilesIsEscaped() throws Exception {
        ImageShape shape = new ImageShape(4, 3, 3);
        Vae vae = Vae.create(VaeSpec.defaults(shape.size(), List.of(16), 4, 7));
        Random r = new Random(1);
        List<float[]> pixels = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            float[] p = new float[shape.size()];
            for (int j = 0; j < p.length; j++) {
                p[j] = r.nextFloat();
            }
            pixels.add(p);
        }
        List<Integer> indices = java.util.stream.IntStream.range(0, 30).boxed().toList();
        List<Integer> labels = new ArrayList<>(java.util.Collections.nCopies(30, (Integer) null));
        LatentSample sample = LatentSample.encode(vae, 30, indices, labels, pixels);
        Provenance provenance = Provenance.of("bare", Map.of("note", HOSTILE), 7, "d".repeat(64)).withModelSha256("m".repeat(64));
        DatasetManifest manifest = new DatasetManifest(HOSTILE, Map.of("name", "image-folder"), Map.of(), shape, 0,
                Map.of("test", new DatasetManifest.Split("test", 30, 0)), provenance);
        JsonNode event = Json.mapper().readTree("{\"event\":\"finished\",\"stage\":\"train\",\"outcome\":\"failed\",\"error\":\""
                + HOSTILE.replace("\"", "\\\"") + "\"}");
        RunPage page = new RunPage("bare", provenance, vae.spec(), manifest, null, List.of(new EpochMetrics(1, 300, Double.NaN, 2, 900)),
                List.of(event), List.of(new PagePicture("render", "x.png", HOSTILE, new byte[] {1})), 0, null, "/r/encode/test",
                sample, DecoderExport.of(vae, sample.means()));

        String html = PageHtml.of(page);
        assertFalse(html.contains(HOSTILE), "text from files is escaped");
        assertTrue(html.contains(Html.escape(HOSTILE)));
        for (String id : List.of("overview", "metrics", "curves", "explorer", "unusual", "pictures", "stages", "config")) {
            assertTrue(html.contains("<section id=\"" + id + "\">"), id);
        }
        assertTrue(html.contains("Not evaluated") && html.contains("No encode output"), "missing outputs are said");
        String json = html.substring(html.indexOf("id=\"page-data\">") + 15, html.indexOf("</script>", html.indexOf("id=\"page-data\">")));
        JsonNode data = Json.mapper().readTree(json);
        assertEquals(1, data.path("epochs").size());
        assertTrue(data.path("epochs").get(0).path("val").isNull(), "a missing validation -ELBO is null, not NaN");
        assertTrue(data.path("sample").path("label").isNull(), "no labels, no colours");
        assertEquals(30, data.path("sample").path("count").asInt());
    }

    @Test
    void theShippedDecoderIsTheJvmDecoderToWithinHalfAPixelLevel() {
        Vae vae = Vae.create(VaeSpec.defaults(50, List.of(40, 30), 3, 3));
        List<float[]> probes = List.of(new float[] {0, 0, 0}, new float[] {1.5f, -2, 0.25f}, new float[] {-3, 3, 1});
        DecoderExport export = DecoderExport.of(vae, probes);
        assertTrue(export.maxDeviation() <= DecoderExport.HALF_TOLERANCE, "deviation " + export.maxDeviation());
        assertTrue(export.mantissaBits() >= DecoderExport.MIN_MANTISSA_BITS && export.mantissaBits() <= 10);
        assertTrue(export.mantissaBits() == 10 || export.maxDeviation() <= DecoderExport.TRIM_TOLERANCE,
                "rounded off bits move a probed pixel by a quarter level at most: " + export.maxDeviation());
        float[] z = {0.7f, -0.2f, 2.1f};
        float[] jvm = vae.decode(Nd4j.create(new float[][] {z})).toFloatVector();
        double[] page = export.decode(z);
        for (int i = 0; i < jvm.length; i++) {
            assertEquals(jvm[i], page[i], DecoderExport.HALF_TOLERANCE, "pixel " + i);
        }
    }

    @Test
    void packedWeightsInflateToTheSameBytes() throws Exception {
        byte[] values = new byte[3 * 4000];
        new Random(3).nextBytes(values);
        byte[] packed = DecoderExport.packed(values, 3);
        byte[] planes = new java.util.zip.InflaterInputStream(new java.io.ByteArrayInputStream(packed)).readAllBytes();
        byte[] back = new byte[values.length];
        for (int p = 0; p < 3; p++) {
            for (int i = 0; i < 4000; i++) {
                back[i * 3 + p] = planes[p * 4000 + i]; // as the page's script interleaves them
            }
        }
        org.junit.jupiter.api.Assertions.assertArrayEquals(values, back);
    }

    @Test
    void halfFloatsRoundTripAndRoundToNearest() {
        for (float f : new float[] {0f, -0f, 1f, -2.5f, 65504f, 6.1035156e-5f, 5.9604645e-8f, 0.1f, 1e-3f}) {
            float back = HalfFloats.toFloat(HalfFloats.toHalf(f));
            assertEquals(f, back, Math.abs(f) * 0x1p-11f + 0x1p-25f, "value " + f);
        }
        assertEquals(Float.POSITIVE_INFINITY, HalfFloats.toFloat(HalfFloats.toHalf(1e6f)));
        assertTrue(Float.isNaN(HalfFloats.toFloat(HalfFloats.toHalf(Float.NaN))));
        assertEquals(1f + 0x1p-10f, HalfFloats.toFloat(HalfFloats.toHalf(1f + 0x1p-10f)), "exact halves stay exact");
        assertEquals(1f, HalfFloats.toFloat(HalfFloats.toHalf(1f + 0x1p-11f)), "ties go to even");
        short h = HalfFloats.toHalf(1f + 0x1p-10f * 0b1011011011); // mantissa 1011011011
        assertEquals(1f + 0x1p-10f * 0b1011100000, HalfFloats.toFloat(HalfFloats.roundMantissa(h, 5)), "rounded to 5 bits, up");
        assertEquals(1f + 0x1p-10f * 0b1011000000, HalfFloats.toFloat(HalfFloats.roundMantissa(h, 4)), "rounded to 4 bits, down");
        assertEquals(-2f, HalfFloats.toFloat(HalfFloats.roundMantissa(HalfFloats.toHalf(-1.999f), 4)), "a carry into the exponent");
        assertEquals(h, HalfFloats.roundMantissa(h, 10));
    }
}

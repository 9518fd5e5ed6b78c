package io.sparkvae.page;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkvae.evaluate.RunModel;
import io.sparkvae.io.HadoopFiles;
import io.sparkvae.model.Vae;
import io.sparkvae.testing.LocalSpark;
import io.sparkvae.testing.StageRuns;
import io.sparkvae.testing.TestData;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.logging.Level;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.factory.Nd4j;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * The run's page in a real browser (Debian's headless Chromium through its chromedriver; Selenium never downloads a
 * driver): a tiny punks run (3 channels, no labels, no encode output) and the shared MNIST run (labels, encode output),
 * each opened from {@code file://}: no console errors, every image loads, one chart point per training epoch, and the
 * explorer's canvas shows what the JVM decoder makes of the pointer's latent point.
 */
@Tag("spark")
class RunPageBrowserIT {
    private static final String CHROMIUM = "/usr/bin/chromium";
    private static final String CHROMEDRIVER = "/usr/bin/chromedriver";

    @TempDir
    static Path tmp;
    private static SparkSession spark;
    private static ChromeDriver browser;

    @BeforeAll
    static void start() throws Exception {
        assertTrue(new File(CHROMIUM).canExecute() && new File(CHROMEDRIVER).canExecute(),
                "needs Debian's chromium and chromium-driver (scripts/test.sh installs them)");
        spark = LocalSpark.start("page-browser");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--window-size=1280,1000",
                "--user-data-dir=" + Files.createDirectory(tmp.resolve("chromium-profile")));
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER)).build();
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (spark != null) {
            spark.stop();
        }
    }

    @Test
    void aThreeChannelRunWithoutLabelsOrEncodeOutputDecodesInThePageAsTheJvmDoes() throws Exception {
        Path root = tmp.resolve("punks root");
        Path conf = tmp.resolve("punks-page.conf");
        Files.writeString(conf, "data { dataset = punks, raw = \"" + TestData.rawDir().toString().replace("\\", "/")
                + "\", limit = 300, partitions = 2 }\nmodel { latent = 3, hidden = [64] }\ntrain { epochs = 2 }\n"
                + "evaluate { is-samples = 5 }\nrender { manifold-grid = 4, reconstructions = 8, samples = 8, outliers = 8, scale = 2 }\n");
        for (String stage : List.of("prepare", "train", "evaluate", "render", "page")) {
            StageRuns.Outcome o = StageRuns.vae(stage, conf, root);
            assertEquals(0, o.code(), stage + ": " + o.err());
        }
        Path run = root.resolve("runs/punks-page");
        openAndCheck(run);
        String html = Files.readString(run.resolve("report/index.html"));
        assertTrue(html.contains("No encode output"), "the page says there is no encode output");
        assertEquals(Boolean.TRUE, js("return JSON.parse(document.getElementById('page-data').textContent).sample.label === null"));
        assertEquals(1L, js("return document.querySelectorAll('#sliders input[type=range]').length"), "one slider for z beyond two");

        Vae vae = RunModel.load(new org.apache.hadoop.fs.Path(run.resolve("model").toUri()), HadoopFiles.withDefaults()).vae();
        WebElement plane = browser.findElement(By.id("plane"));
        int[][] offsets = {{-120, -90}, {0, 0}, {140, 100}};
        List<String> seen = new ArrayList<>();
        for (int[] o : offsets) {
            new Actions(browser).moveToElement(plane, o[0], o[1]).perform();
            String zJson = browser.findElement(By.id("decoded")).getAttribute("data-z");
            assertFalse(seen.contains(zJson), "each pointer position is another latent point: " + zJson);
            seen.add(zJson);
            float[] z = floats(zJson);
            float[] expected = vae.decode(Nd4j.create(new float[][] {z})).toFloatVector();
            assertDecodedCanvasShows(expected, 24, 24, 3, zJson);
        }
        // Hovering a test point shows its image and its reconstruction.
        double[] first = io.sparkvae.io.Json.mapper().readValue(plane.getAttribute("data-first-point"), double[].class);
        new Actions(browser).moveToElement(plane, (int) Math.round(first[0] - plane.getSize().getWidth() / 2.0),
                (int) Math.round(first[1] - plane.getSize().getHeight() / 2.0)).perform();
        assertTrue(((String) js("return document.getElementById('hover-info').textContent")).startsWith("test example "),
                "a test point's image shows when hovered");
        assertTrue((Long) js("const d = document.getElementById('hover-recon').getContext('2d').getImageData(0, 0, 24, 24).data;"
                + "let s = 0; for (let i = 0; i < d.length; i += 4) s += d[i] + d[i + 1] + d[i + 2]; return s;") > 0,
                "its reconstruction is drawn");
    }

    @Test
    void aLabelledRunWithEncodeOutputOpensComplete() throws Exception {
        Path run = StageRuns.trained().root().resolve("runs/tiny");
        openAndCheck(run);
        assertTrue((Long) js("return document.querySelectorAll('#legend span').length") > 1, "the points are coloured by label");
        assertTrue((Long) js("return document.querySelectorAll('#unusual .card').length") > 0, "the unusual examples are listed");
    }

    /** Opens the run's page and checks what every page must show; logs the time it took to open. */
    private static void openAndCheck(Path run) throws Exception {
        Path page = run.resolve("report/index.html");
        long epochs = Files.readAllLines(run.resolve("metrics.jsonl")).stream().filter(l -> !l.isBlank()).count();
        browser.manage().logs().get(LogType.BROWSER); // drains what earlier pages (and this test's readbacks) logged
        long start = System.nanoTime();
        browser.get(page.toUri().toString());
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!"true".equals(browser.findElement(By.tagName("body")).getAttribute("data-ready"))) {
            assertTrue(System.nanoTime() < deadline, "the page's script never finished: " + browser.manage().logs().get(LogType.BROWSER).getAll());
            Thread.sleep(20);
        }
        System.out.printf(Locale.ROOT, "page: %s (%.2f MB) opened and ready in %.2f s%n", page, Files.size(page) / 1e6,
                (System.nanoTime() - start) / 1e9);
        List<LogEntry> errors = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).toList();
        assertTrue(errors.isEmpty(), "console errors: " + errors);
        assertEquals(Boolean.TRUE, js("return Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)"),
                "every image loads");
        assertTrue((Long) js("return document.images.length") >= 2, "pictures are on the page");
        assertEquals(epochs, js("return document.querySelectorAll('#chart-elbo circle[data-series=train]').length"));
        assertEquals(epochs, js("return document.querySelectorAll('#chart-speed circle[data-series=speed]').length"));
    }

    /** Every pixel of the decoded canvas (read at the centre of each scaled-up pixel) within one level of the JVM's. */
    private static void assertDecodedCanvasShows(float[] expected, int width, int height, int channels, String z) {
        @SuppressWarnings("unchecked")
        List<Number> rgb = (List<Number>) js("const c = document.getElementById('decoded'), w = arguments[0], h = arguments[1];"
                + "const s = c.width / w, d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data, out = [];"
                + "for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {"
                + "  const i = (Math.floor(y * s + s / 2) * c.width + Math.floor(x * s + s / 2)) * 4;"
                + "  out.push(d[i], d[i + 1], d[i + 2]); }"
                + "return out;", width, height);
        assertEquals(width * height * 3, rgb.size());
        int worst = 0;
        for (int p = 0; p < width * height; p++) {
            for (int c = 0; c < 3; c++) {
                int want = toByte(expected[p * channels + (channels == 1 ? 0 : c)]);
                worst = Math.max(worst, Math.abs(rgb.get(p * 3 + c).intValue() - want));
            }
        }
        assertTrue(worst <= 1, "the page's decoder differs from the JVM's by " + worst + "/255 at z = " + z);
    }

    private static int toByte(float v) {
        return !(v >= 0f) ? 0 : v >= 1f ? 255 : Math.round(v * 255f);
    }

    private static float[] floats(String json) throws Exception {
        double[] d = io.sparkvae.io.Json.mapper().readValue(json, double[].class);
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    private static Object js(String script, Object... args) {
        return ((JavascriptExecutor) browser).executeScript(script, args);
    }
}

package io.sparkvae.bench;

import io.sparkvae.testing.ChildProcess;
import io.sparkvae.testing.LocalCluster;
import io.sparkvae.testing.StageMemory;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Time and peak memory of {@code vae prepare} on N small generated PNG files as an image folder, against the same
 * files' bytes as one Parquet table (a binary column, decoded the same way): what listing and opening many small
 * files costs. Each run is {@code scripts/vae prepare} with two executor JVMs ({@code local-cluster[2,1,<mb>]}), so the
 * driver's memory is measured apart from the executors' ({@link StageMemory}); the two formats alternate, run after
 * run, so both see the same machine load. Prints a Markdown table.
 *
 * <p>Usage (via scripts/bench-prepare.sh): {@code PrepareFormatsBenchmark <workDir> <files> <rounds> <driverHeap> <executorMb>}.
 */
public final class PrepareFormatsBenchmark {
    private PrepareFormatsBenchmark() {}

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args[0]).toAbsolutePath();
        int n = Integer.parseInt(args[1]);
        int rounds = Integer.parseInt(args[2]);
        String driverHeap = args[3];
        int executorMb = Integer.parseInt(args[4]);
        Path images = work.resolve("images-" + n);
        Path table = work.resolve("table-" + n);
        if (!Files.exists(table.resolve("_SUCCESS"))) {
            generate(n, images, table);
        }
        Map<String, Path> confs = Map.of(
                "image-folder", Files.writeString(work.resolve("image-folder.conf"), "data { dataset = bench-folder, format = image-folder,"
                        + " raw = \"" + images + "\", image-folder { width = 16, height = 16, channels = 3 } }\n"),
                "parquet", Files.writeString(work.resolve("parquet.conf"), "data { dataset = bench-table, format = parquet, raw = \""
                        + work + "\", parquet { path = " + table.getFileName() + ", pixels = png, id = name, width = 16, height = 16,"
                        + " channels = 3 } }\n"));
        Map<String, String> env = new HashMap<>(LocalCluster.childEnv());
        env.put("VAE_DRIVER_MEMORY", driverHeap);
        List<String> rows = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            for (String format : List.of("image-folder", "parquet")) {
                List<String> cmd = new ArrayList<>(List.of(ChildProcess.repo().resolve("scripts/vae").toString(), "prepare",
                        "--conf", confs.get(format).toString(), "--root", work.resolve("root").toString(), "--overwrite"));
                cmd.addAll(LocalCluster.stageOptions(2, 1, executorMb));
                double load = Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
                StageMemory.Peaks p = StageMemory.run(cmd, env, work.resolve("logs"), format + "-" + round, Duration.ofMinutes(60));
                String row = String.format(Locale.ROOT, "| %d | %s | %d | %.1f | %s | %s | %s | %s | %.1f |", round, format,
                        p.result().exitCode(), p.result().seconds(), mb(p.driverHeapMb()), mb(p.driverRssMb()), mb(p.executorHeapMb()),
                        mb(p.executorRssMb()), load);
                System.out.println(row);
                rows.add(row);
                if (p.result().exitCode() != 0) {
                    System.out.println(p.result().tail());
                    return;
                }
            }
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "%,d generated 16x16 PNG files; driver -Xmx%s, executors local-cluster[2,1,%d]%n", n, driverHeap, executorMb);
        System.out.println("| round | format | exit | seconds | driver heap peak (MB) | driver RSS peak (MB) | executor heap peak (MB)"
                + " | executor RSS peak (MB) | load before |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        rows.forEach(System.out::println);
    }

    /** N small RGBA PNGs (random shapes) in 100 subfolders, and the same bytes as a Parquet table (name, png). */
    private static void generate(int n, Path images, Path table) throws Exception {
        long t0 = System.nanoTime();
        Random random = new Random(1);
        List<Row> rows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            BufferedImage img = new BufferedImage(16, 16, BufferedImage.TYPE_INT_ARGB);
            int colour = 0xFF000000 | random.nextInt(0x1000000);
            int x0 = random.nextInt(8);
            int y0 = random.nextInt(8);
            for (int y = y0; y < y0 + 8; y++) {
                for (int x = x0; x < x0 + 8; x++) {
                    img.setRGB(x, y, colour);
                }
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(img, "png", out);
            String name = String.format(Locale.ROOT, "d%02d/img%06d.png", i % 100, i);
            Path file = images.resolve(name);
            Files.createDirectories(file.getParent());
            Files.write(file, out.toByteArray());
            rows.add(RowFactory.create(name, out.toByteArray()));
        }
        SparkSession spark = SparkSession.builder().master("local[2]").appName("bench-generate").config("spark.ui.enabled", "false").getOrCreate();
        try {
            StructType schema = new StructType().add("name", DataTypes.StringType, false).add("png", DataTypes.BinaryType, false);
            spark.createDataFrame(rows, schema).coalesce(4).write().mode("overwrite").parquet(table.toString());
        } finally {
            spark.stop();
        }
        System.out.printf(Locale.ROOT, "generated %,d files and the table in %.1f s%n", n, (System.nanoTime() - t0) / 1e9);
    }

    private static String mb(long v) {
        return v == 0 ? "n/a" : String.format(Locale.ROOT, "%,d", v);
    }
}

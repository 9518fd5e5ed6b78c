package io.sparkvae.bench;

import io.sparkvae.testing.ChildProcess;
import io.sparkvae.testing.LocalCluster;
import io.sparkvae.testing.StageMemory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Peak driver and executor memory of every stage of the shipped configs: each stage runs through
 * {@code scripts/vae} with a bounded driver heap and two executor JVMs ({@code local-cluster[2,1,<mb>]}), measured by
 * {@link StageMemory}; train runs one epoch (memory does not grow with epochs). Prints a Markdown table.
 *
 * <p>Usage (via scripts/bench-memory.sh): {@code MemoryBenchmark <workDir> <rawDir> <driverHeap> <executorMb> <config>...}.
 */
public final class MemoryBenchmark {
    private MemoryBenchmark() {}

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args[0]).toAbsolutePath();
        Path raw = Path.of(args[1]).toAbsolutePath();
        String driverHeap = args[2];
        int executorMb = Integer.parseInt(args[3]);
        Map<String, String> env = new HashMap<>(LocalCluster.childEnv());
        env.put("VAE_DRIVER_MEMORY", driverHeap);

        List<String> rows = new ArrayList<>();
        for (int i = 4; i < args.length; i++) {
            String config = args[i];
            Path root = work.resolve(config);
            for (String stage : List.of("prepare", "train", "evaluate", "render")) {
                List<String> cmd = new ArrayList<>(List.of(ChildProcess.repo().resolve("scripts/vae").toString(), stage,
                        "--conf", ChildProcess.repo().resolve("conf/" + config + ".conf").toString(), "--root", root.toString(),
                        "--set", "data.raw=" + raw, "--set", "train.epochs=1", "--overwrite"));
                cmd.addAll(LocalCluster.stageOptions(2, 1, executorMb));
                StageMemory.Peaks p = StageMemory.run(cmd, env, work.resolve("logs"), config + "-" + stage, Duration.ofMinutes(30));
                String row = String.format(Locale.ROOT, "| %s | %s | %d | %s | %s | %s | %s | %.0f |", config, stage,
                        p.result().exitCode(), mb(p.driverHeapMb()), mb(p.driverRssMb()), mb(p.executorHeapMb()),
                        mb(p.executorRssMb()), p.result().seconds());
                System.out.println(row);
                rows.add(row);
                if (p.result().exitCode() != 0) {
                    System.out.println(p.result().tail());
                    break;
                }
            }
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "driver -Xmx%s, executors local-cluster[2,1,%d]; load average now %s%n", driverHeap,
                executorMb, Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        System.out.println("| config | stage | exit | driver heap peak (MB) | driver RSS peak (MB) | executor heap peak (MB) "
                + "| executor RSS peak (MB) | seconds |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        rows.forEach(System.out::println);
    }

    /** 0 means Spark or /proc reported nothing for it (a stage too short for a metrics sample). */
    private static String mb(long v) {
        return v == 0 ? "n/a" : String.format(Locale.ROOT, "%,d", v);
    }
}

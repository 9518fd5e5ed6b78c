package io.sparkvae.spark;

import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.scheduler.AccumulableInfo;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorMetricsUpdate;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.util.LongAccumulator;
import scala.Tuple4;
import scala.collection.JavaConverters;

/**
 * Progress of work done on the executors, shown by a {@link ProgressMeter}: library code marks what to count with
 * {@link #counted} (every element passing through adds one to a named accumulator, which the Spark UI also shows on
 * the stage's page), and a stage {@link #watch}es the jobs it starts from then on in its job group, with the total it
 * expects.
 *
 * <p>Running tasks report their accumulators with every executor heartbeat ({@code spark.executor.heartbeatInterval},
 * 10 s) and finished tasks report them once more, so the count moves during long tasks too. A failed task's count is
 * dropped (its retry counts again), so the count is what completed or is in flight, never double.
 */
public final class TaskProgress extends SparkListener implements AutoCloseable {
    /** The name of every counting accumulator: what the listener looks for. */
    static final String COUNTER = "vae progress";

    private final SparkContext sc;
    private final String group;
    private final ProgressMeter meter;
    /** Stages of the jobs started in {@link #group} since the watch began. */
    private final Set<Integer> stages = ConcurrentHashMap.newKeySet();
    /** The latest count each (task, accumulator) reported. */
    private final Map<Long, Map<Long, Long>> perTask = new ConcurrentHashMap<>();
    /** Tasks that failed: a heartbeat that arrives after their end must not count them again. */
    private final Set<Long> failed = ConcurrentHashMap.newKeySet();

    private TaskProgress(SparkContext sc, String group, ProgressMeter meter) {
        this.sc = sc;
        this.group = group;
        this.meter = meter;
    }

    /**
     * {@code rdd} with every element counted as it is computed. Call where the counted work happens (the RDD that
     * scores, decodes or encodes), not on a cached result read several times.
     */
    public static <T> JavaRDD<T> counted(JavaRDD<T> rdd) {
        LongAccumulator counter = rdd.context().longAccumulator(COUNTER);
        return rdd.map(x -> {
            counter.add(1);
            return x;
        });
    }

    /**
     * Shows how many elements of {@link #counted} RDDs the jobs started from now on by this thread's stage (its job
     * group, {@link JobLabels#stage}) have processed, of {@code total}, until closed.
     *
     * @param unit what is counted, e.g. {@code examples scored}
     */
    public static TaskProgress watch(SparkContext sc, String unit, long total) {
        String group = sc.getLocalProperty(JobLabels.GROUP);
        String label = Objects.requireNonNullElse(sc.getLocalProperty(JobLabels.STAGE), "vae");
        return watch(sc, group, ProgressMeter.onStderr(label, unit, total));
    }

    /** As {@link #watch(SparkContext, String, long)}, with the given group and meter (tests). */
    static TaskProgress watch(SparkContext sc, String group, ProgressMeter meter) {
        TaskProgress progress = new TaskProgress(sc, group, meter);
        sc.addSparkListener(progress);
        return progress;
    }

    @Override
    public void onJobStart(SparkListenerJobStart start) {
        String jobGroup = start.properties() == null ? null : start.properties().getProperty(JobLabels.GROUP);
        if (Objects.equals(group, jobGroup)) {
            for (Object id : JavaConverters.seqAsJavaList(start.stageIds())) {
                stages.add((Integer) id);
            }
        }
    }

    @Override
    public void onExecutorMetricsUpdate(SparkListenerExecutorMetricsUpdate update) {
        boolean changed = false;
        for (Tuple4<Object, Object, Object, scala.collection.Seq<AccumulableInfo>> t
                : JavaConverters.seqAsJavaList(update.accumUpdates())) {
            if (stages.contains((Integer) t._2())) {
                changed |= record((Long) t._1(), t._4());
            }
        }
        if (changed) {
            meter.update(count());
        }
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd end) {
        if (!stages.contains(end.stageId())) {
            return;
        }
        long task = end.taskInfo().taskId();
        if (end.taskInfo().successful()) {
            record(task, end.taskInfo().accumulables());
        } else {
            failed.add(task);
            perTask.remove(task);
        }
        meter.update(count());
    }

    private boolean record(long task, scala.collection.Seq<AccumulableInfo> infos) {
        if (failed.contains(task)) {
            return false;
        }
        boolean any = false;
        for (AccumulableInfo info : JavaConverters.seqAsJavaList(infos)) {
            if (info.name().isDefined() && COUNTER.equals(info.name().get()) && info.update().isDefined()) {
                Object value = info.update().get();
                if (value instanceof Long v) {
                    // A task's count only grows; a heartbeat overtaken by the task's end must not lower it.
                    perTask.computeIfAbsent(task, k -> new ConcurrentHashMap<>()).merge(info.id(), v, Math::max);
                    any = true;
                }
            }
        }
        return any;
    }

    /** Elements counted so far. */
    public long count() {
        long sum = 0;
        for (Map<Long, Long> accumulators : perTask.values()) {
            for (long v : accumulators.values()) {
                sum += v;
            }
        }
        return sum;
    }

    /** Stops watching; a line drawn on the terminal is removed. */
    @Override
    public void close() {
        sc.removeSparkListener(this);
        meter.close();
    }

    /** Stops watching after the work completed: a log gets the final count (see {@link ProgressMeter#finish}). */
    public void finish() {
        sc.removeSparkListener(this);
        meter.finish();
    }

    /** For tests: the stages this watch counts in. */
    Set<Integer> stages() {
        return new HashSet<>(stages);
    }
}

package io.sparkvae.dataset;

import io.sparkvae.spark.LiteralPaths;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;

import io.sparkvae.data.ImageShape;
import io.sparkvae.io.BadInputException;
import io.sparkvae.io.HadoopFiles;
import io.sparkvae.spark.TaskProgress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.Tuple2;

/**
 * Writes the splits of a many-file format from its {@link StagedExamples}, all on the executors: the staged rows go
 * to a scratch table first (so items are decoded once), then problems are counted (refused or skipped), every good
 * example gets its index (the rank of its id in sorted order: the same whatever the partitioning) and each split is
 * written in index ranges. Only counts, the first problems and at most 20 skipped ids reach the driver.
 */
final class HashedTableWriter {
    /**
     * How to read and report the staged items.
     *
     * @param where      turns an id into what users should see in a message (a file path, a table row)
     * @param skipBad    leave items with a non-fatal problem out instead of refusing
     * @param badHint    appended to the refusal of a bad item (how to skip such items, where that exists)
     */
    record Settings(String sourceName, UnaryOperator<String> where, boolean skipBad, String badHint, int partitions, int limit) {}

    private static final StructType RANKS = new StructType()
            .add(StagedExamples.ID, DataTypes.StringType, false)
            .add(ExampleRows.INDEX, DataTypes.IntegerType, false);

    private final SparkSession spark;
    private final HadoopFiles files;

    HashedTableWriter(SparkSession spark, HadoopFiles files) {
        this.spark = spark;
        this.files = files;
    }

    /** Writes {@code train/ val/ test/} under {@code tmp}; {@code details} receives what the manifest records. */
    FormatOutput write(JavaRDD<Row> staged, ImageShape shape, Path tmp, Settings s, Map<String, Object> details) {
        Path scratch = new Path(tmp, "staged-items");
        Path ranksDir = new Path(tmp, "ranked-ids");
        try {
            // Decoding happens here, on the executors: what the prepare stage's progress line counts.
            spark.createDataFrame(TaskProgress.counted(staged), StagedExamples.SCHEMA).write().parquet(scratch.toString());
            Dataset<Row> st = LiteralPaths.read(spark).schema(StagedExamples.SCHEMA).parquet(scratch.toString());
            StagedProblems.Outcome checked = StagedProblems.apply(st, s.sourceName(), s.where(), s.skipBad(), s.badHint());
            if (checked.skipped() > 0) {
                details.put("skipped", checked.skipped());
                details.put("skipped_first", checked.skippedFirst());
            }
            long total = checked.total();
            long good = checked.good();
            Column problem = col(StagedExamples.PROBLEM);
            if (good > Integer.MAX_VALUE) {
                throw new BadInputException(s.sourceName() + ": " + good + " examples are more than one dataset can index");
            }
            details.put("items", total);
            details.put("source_digest", SourceDigest.METHOD);
            String digest = SourceDigest.sum(st.select(StagedExamples.DIGEST).javaRDD().map(r -> (byte[]) r.get(0)));

            // Index = rank of the id among the good examples: a global sort of the ids alone, then their positions.
            JavaRDD<Row> ranks = st.where(problem.isNull()).select(StagedExamples.ID).orderBy(StagedExamples.ID).javaRDD()
                    .zipWithIndex().map(t -> RowFactory.create(t._1().getString(0), (int) (long) t._2()));
            spark.createDataFrame(ranks, RANKS).write().parquet(ranksDir.toString());
            Dataset<Row> ranked = LiteralPaths.read(spark).schema(RANKS).parquet(ranksDir.toString());

            Map<String, DatasetManifest.Split> splits = new LinkedHashMap<>();
            for (String split : SplitPlan.SPLITS) {
                Dataset<Row> rows = st.where(problem.isNull().and(col(StagedExamples.SPLIT).equalTo(split)))
                        .join(ranked.hint("merge"), StagedExamples.ID) // never a broadcast: that would pass every id through the driver
                        .select(col(ExampleRows.INDEX), col(StagedExamples.SPLIT).as(ExampleRows.SPLIT), col(StagedExamples.LABEL).as(ExampleRows.LABEL),
                                col(StagedExamples.PIXELS).as(ExampleRows.PIXELS), col(StagedExamples.ID).as(ExampleRows.ID));
                if (s.limit() > 0) {
                    rows = rows.orderBy(ExampleRows.INDEX).limit(s.limit());
                }
                JavaRDD<Row> placed = rows.javaRDD().mapToPair(r -> new Tuple2<>(r.getInt(0), r))
                        .partitionBy(new IndexRangePartitioner(boundedPartitions(s.partitions(), good), good)).values();
                Path out = new Path(tmp, split);
                spark.createDataFrame(placed, ExampleRows.SCHEMA).sortWithinPartitions(ExampleRows.INDEX).write().parquet(out.toString());
                Row c = LiteralPaths.read(spark).schema(ExampleRows.SCHEMA).parquet(out.toString()).agg(count(lit(1)), min(col(ExampleRows.INDEX))).first();
                long n = c.getLong(0);
                if (n == 0) {
                    throw new BadInputException(s.sourceName() + ": split " + split + " would be empty (" + good
                            + " examples; raise data." + split + "-fraction or add examples)");
                }
                splits.put(split, new DatasetManifest.Split(s.sourceName(), (int) n, c.getInt(1)));
            }
            return new FormatOutput(shape, Map.of(s.sourceName(), digest), splits, details);
        } finally {
            files.deleteQuietly(scratch);
            files.deleteQuietly(ranksDir);
        }
    }

    /** At most {@code asked} partitions of at least {@link DatasetPreparer#MIN_EXAMPLES_PER_PARTITION} examples each. */
    static int boundedPartitions(int asked, long examples) {
        return (int) Math.max(1, Math.min(asked, examples / DatasetPreparer.MIN_EXAMPLES_PER_PARTITION));
    }
}

package io.sparkvae.dataset;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.sparkvae.io.BadInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The {@code on-bad-image} policy over {@link StagedExamples}: a fatal problem is always refused, any other one is
 * refused (exit 2, naming the first item by id and counting the rest) unless bad items are skipped, in which case
 * they are counted and the first ones listed. Prepare's many-file formats and {@code vae score} apply it alike; only
 * counts and at most {@link #LISTED} ids reach the driver.
 */
final class StagedProblems {
    /** Skipped ids listed (in the manifest, in score's summary). */
    static final int LISTED = 20;

    /**
     * How many items there were and which were left out.
     *
     * @param skippedFirst the first {@link #LISTED} skipped ids in sorted order
     */
    record Outcome(long total, long skipped, List<String> skippedFirst) {
        long good() {
            return total - skipped;
        }
    }

    private StagedProblems() {}

    /**
     * @param sourceName names the source in a refusal of an empty one
     * @param where      turns an id into what users should see in a message (a file path, a table row)
     * @param skipBad    leave items with a non-fatal problem out instead of refusing
     * @param badHint    appended to the refusal of a bad item (how to skip such items, where that exists)
     * @throws BadInputException for no items at all, a fatal problem, a bad item that is not skipped, or nothing left
     */
    static Outcome apply(Dataset<Row> staged, String sourceName, UnaryOperator<String> where, boolean skipBad, String badHint) {
        Column problem = col(StagedExamples.PROBLEM);
        Row totals = staged.agg(count(lit(1)), sum(when(problem.isNotNull(), 1).otherwise(0)),
                sum(when(col(StagedExamples.FATAL), 1).otherwise(0))).first();
        long total = totals.getLong(0);
        long bad = totals.isNullAt(1) ? 0 : totals.getLong(1);
        long fatal = totals.isNullAt(2) ? 0 : totals.getLong(2);
        if (total == 0) {
            throw new BadInputException(sourceName + ": holds no examples");
        }
        if (fatal > 0) {
            throw refusal(staged.where(col(StagedExamples.FATAL)), where, fatal + " of " + total + " items like this");
        }
        if (bad > 0 && !skipBad) {
            throw refusal(staged.where(problem.isNotNull()), where, bad + " of " + total + " items unreadable" + badHint);
        }
        List<String> skipped = new ArrayList<>();
        if (bad > 0) {
            for (Row r : staged.where(problem.isNotNull()).select(StagedExamples.ID).orderBy(StagedExamples.ID).limit(LISTED)
                    .collectAsList()) {
                skipped.add(r.getString(0));
            }
        }
        if (bad == total) {
            throw new BadInputException(sourceName + ": none of its " + total + " items could be read (all skipped; first: "
                    + where.apply(skipped.get(0)) + ")");
        }
        return new Outcome(total, bad, skipped);
    }

    /** The first (by id) problem item of {@code rows}, as a one-line refusal naming it. */
    private static BadInputException refusal(Dataset<Row> rows, UnaryOperator<String> where, String counts) {
        Row first = rows.select(StagedExamples.ID, StagedExamples.PROBLEM).orderBy(StagedExamples.ID).first();
        return new BadInputException(where.apply(first.getString(0)) + ": " + first.getString(1) + " (" + counts + ")");
    }
}

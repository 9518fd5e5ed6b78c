package io.sparkvae.score;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.StructField;

/**
 * The files the model finds most unusual: the highest -ELBO first (ties by path), each with its scalar scores, its
 * posterior mean and its pixels as scored. Only these files reach the driver.
 *
 * @param scores     per file, {@code path} and every scalar column of the table, in the table's order
 * @param latentMean per file, its posterior mean
 * @param pixels     per file, the pixels it was scored with
 */
public record MostUnusual(List<Map<String, Object>> scores, List<float[]> latentMean, List<float[]> pixels) {

    /**
     * @param scored the scores' column names ({@link FileScores.Scored})
     * @param table  the written scores
     * @param images the decoded files ({@code path} and {@code pixelsColumn}) the table was scored from
     */
    public static MostUnusual of(FileScores.Scored scored, Dataset<Row> table, Dataset<Row> images, String pixelsColumn, int count) {
        List<Row> top = table.orderBy(col(scored.negElbo()).desc(), col(FileScores.PATH)).limit(count).collectAsList();
        List<Map<String, Object>> scores = new ArrayList<>();
        List<float[]> means = new ArrayList<>();
        List<String> paths = new ArrayList<>();
        for (Row r : top) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (StructField f : table.schema().fields()) {
                if (!(f.dataType() instanceof ArrayType)) {
                    m.put(f.name(), r.get(r.fieldIndex(f.name())));
                }
            }
            scores.add(m);
            means.add(floats(r.getList(r.fieldIndex(scored.latentMean()))));
            paths.add(r.getString(r.fieldIndex(FileScores.PATH)));
        }
        Map<String, float[]> byPath = new HashMap<>();
        for (Row r : images.where(col(FileScores.PATH).isin(paths.toArray())).select(FileScores.PATH, pixelsColumn).collectAsList()) {
            byPath.put(r.getString(0), floats(r.getList(1)));
        }
        return new MostUnusual(scores, means, paths.stream().map(byPath::get).toList());
    }

    private static float[] floats(List<Object> values) {
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((Number) values.get(i)).floatValue();
        }
        return out;
    }
}

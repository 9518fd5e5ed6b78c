package io.sparkvae.dataset;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** A prepared split's content as one SHA-256: every row's index, split, label and pixel bits, in index order. */
final class DatasetContent {
    private DatasetContent() {}

    static String digest(SparkSession spark, String splitDir) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        var rows = spark.read().parquet(splitDir).select(ExampleRows.INDEX, ExampleRows.SPLIT, ExampleRows.LABEL, ExampleRows.PIXELS)
                .orderBy(ExampleRows.INDEX).toLocalIterator();
        while (rows.hasNext()) {
            Row r = rows.next();
            float[] px = ExampleRows.pixels(r);
            ByteBuffer b = ByteBuffer.allocate(12 + 4 * px.length);
            b.putInt(r.getInt(0)).putInt(r.isNullAt(2) ? -1 : r.getInt(2)).putInt(px.length);
            for (float v : px) {
                b.putInt(Float.floatToIntBits(v));
            }
            md.update(r.getString(1).getBytes(StandardCharsets.UTF_8));
            md.update(b.array());
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** Prints the digests of a dataset's splits: {@code DatasetContent <datasetDir>} (how the tests' references were taken). */
    public static void main(String[] args) throws Exception {
        SparkSession spark = io.sparkvae.testing.LocalSpark.start("digest");
        try {
            for (String split : SplitPlan.SPLITS) {
                System.out.println(split + " " + digest(spark, args[0] + "/" + split));
            }
        } finally {
            spark.stop();
        }
    }
}

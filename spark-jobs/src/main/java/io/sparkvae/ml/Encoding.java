package io.sparkvae.ml;

import static org.apache.spark.sql.functions.col;

import io.sparkvae.data.ImageShape;
import io.sparkvae.io.BadInputException;
import io.sparkvae.model.LoadedVae;
import io.sparkvae.model.AnomalyScore;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.spark.ml.functions;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The encode stage's table of a DataFrame of images, through {@link VaeModel}: per row its key ({@code index} when the
 * input has one, else its {@code id}, else its position as {@code id}), {@code label} when there is one, the posterior
 * {@code latent_mean} and {@code latent_log_var} (as {@code array<float>}, readable by any Parquet reader), its
 * {@code neg_elbo}, the {@link AnomalyScore}s asked for (each in its {@link AnomalyScore#column}) and, with importance
 * samples, its {@code log_likelihood}.
 */
public final class Encoding {
    public static final String INDEX = "index";
    public static final String ID = "id";
    public static final String LABEL = "label";
    public static final String NEG_ELBO = "neg_elbo";
    public static final String LOG_LIKELIHOOD = "log_likelihood";

    private Encoding() {}

    /**
     * @param isSamples importance samples for {@code log_likelihood}, 0 for none
     * @param scores    the anomaly scores beyond the -ELBO to add
     * @param shape     the images' shape (the scores need it), or null for a square grey or RGB image
     * @param where     names the input in a refusal ({@code encode.input <uri>})
     * @throws BadInputException when the input has no usable pixel column
     */
    public static Dataset<Row> table(SparkSession spark, Dataset<Row> input, LoadedVae loaded, long seed, int elboSamples,
                                     int isSamples, Set<AnomalyScore> scores, ImageShape shape, String where) {
        StructType schema = input.schema();
        String key = schema.getFieldIndex(INDEX).isDefined() ? INDEX : ID;
        Dataset<Row> keyed = key.equals(ID) && schema.getFieldIndex(ID).isEmpty() ? numbered(spark, input) : input;
        boolean aligned = key.equals(INDEX) && isInteger(schema, INDEX);
        VaeModel model = new VaeModel(loaded).setSeed(seed).setElboSamples(elboSamples).setIndexCol(aligned ? INDEX : "")
                .setLogLikelihoodCol(isSamples > 0 ? LOG_LIKELIHOOD : "");
        if (isSamples > 0) {
            model.setIsSamples(isSamples);
        }
        for (AnomalyScore s : AnomalyScore.optional()) {
            model.setScoreCol(s, scores.contains(s) ? s.column() : "");
        }
        if (shape != null) {
            model.setImageShape(new int[] {shape.height(), shape.width(), shape.channels()});
        }
        Dataset<Row> scored;
        try {
            scored = model.transform(keyed);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(where + ": " + e.getMessage().replaceFirst("^" + VaeModel.OWNER + ": ", ""), e);
        }
        List<Column> columns = new ArrayList<>(List.of(col(key)));
        if (schema.getFieldIndex(LABEL).isDefined()) {
            columns.add(col(LABEL));
        }
        columns.add(functions.vector_to_array(col(model.getLatentMeanCol()), "float32").as("latent_mean"));
        columns.add(functions.vector_to_array(col(model.getLatentLogVarCol()), "float32").as("latent_log_var"));
        columns.add(col(NEG_ELBO));
        for (AnomalyScore s : AnomalyScore.optional()) {
            if (scores.contains(s)) {
                columns.add(col(s.column()));
            }
        }
        if (isSamples > 0) {
            columns.add(col(LOG_LIKELIHOOD));
        }
        return scored.select(columns.toArray(Column[]::new));
    }

    private static boolean isInteger(StructType schema, String column) {
        var type = schema.apply(column).dataType();
        return type.equals(DataTypes.IntegerType) || type.equals(DataTypes.LongType);
    }

    /** {@code input} with an {@code id} column: each row's position in the input's order. */
    private static Dataset<Row> numbered(SparkSession spark, Dataset<Row> input) {
        StructType schema = input.schema().add(ID, DataTypes.LongType, false);
        var rows = input.javaRDD().zipWithIndex().map(t -> {
            Object[] values = new Object[t._1().length() + 1];
            for (int i = 0; i < t._1().length(); i++) {
                values[i] = t._1().get(i);
            }
            values[values.length - 1] = t._2();
            return RowFactory.create(values);
        });
        return spark.createDataFrame(rows, schema);
    }
}

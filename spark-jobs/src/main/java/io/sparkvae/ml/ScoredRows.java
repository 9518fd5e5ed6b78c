package io.sparkvae.ml;

import io.sparkvae.io.BadInputException;
import io.sparkvae.model.AnomalyScore;
import io.sparkvae.scoring.BlockScores;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The columns {@link VaeModel} appends to each row, in this order, each left out when its name is empty: the latent
 * mean and log-variance (Spark ML vectors), the -ELBO, the reconstruction (a vector of pixel means) and the
 * importance-sampled log-likelihood, then the anomaly scores beyond the -ELBO in {@link AnomalyScore}'s order.
 */
record ScoredRows(String latentMean, String latentLogVar, String negElbo, String reconstruction, String logLikelihood,
                  Map<AnomalyScore, String> scoreColumns) implements Serializable {

    ScoredRows {
        scoreColumns = new EnumMap<>(scoreColumns);
        scoreColumns.values().removeIf(String::isEmpty);
    }

    /** A fitted {@link VaeModel}'s default columns: latent mean and log-variance, -ELBO and every anomaly score. */
    static ScoredRows defaults() {
        Map<AnomalyScore, String> columns = new EnumMap<>(AnomalyScore.class);
        AnomalyScore.optional().forEach(s -> columns.put(s, s.column()));
        return new ScoredRows("latent_mean", "latent_log_var", AnomalyScore.NEG_ELBO.column(), "", "", columns);
    }

    /** The names of the columns that are switched on. */
    List<String> names() {
        List<String> out = new ArrayList<>();
        for (String n : List.of(latentMean, latentLogVar, negElbo, reconstruction, logLikelihood)) {
            if (!n.isEmpty()) {
                out.add(n);
            }
        }
        out.addAll(scoreColumns.values());
        return out;
    }

    /** The anomaly scores beyond the -ELBO whose columns are on. */
    Set<AnomalyScore> scores() {
        return scoreColumns.isEmpty() ? EnumSet.noneOf(AnomalyScore.class) : EnumSet.copyOf(scoreColumns.keySet());
    }

    boolean reconstructions() {
        return !reconstruction.isEmpty();
    }

    boolean logLikelihoods() {
        return !logLikelihood.isEmpty();
    }

    /**
     * {@code input} with the output columns added.
     *
     * @throws IllegalArgumentException when no output is switched on, or one would replace an existing column
     */
    StructType schema(StructType input, String owner) {
        List<String> names = names();
        if (names.isEmpty()) {
            throw new IllegalArgumentException(owner + ": every output column is switched off (set at least one of "
                    + "latentMeanCol, latentLogVarCol, negElboCol, reconstructionCol, logLikelihoodCol or a score's column)");
        }
        StructType out = input;
        for (String n : names) {
            if (out.getFieldIndex(n).isDefined()) {
                throw new IllegalArgumentException(owner + ": output column '" + n + "' already exists"
                        + (input.getFieldIndex(n).isDefined() ? " in the input" : " (two outputs share the name)"));
            }
            boolean vector = n.equals(latentMean) || n.equals(latentLogVar) || n.equals(reconstruction);
            out = out.add(n, vector ? SQLDataTypes.VectorType() : DataTypes.DoubleType, false);
        }
        return out;
    }

    /** {@code row}'s values followed by its outputs from row {@code i} of {@code scores}. */
    Row of(Row row, BlockScores scores, int i) {
        List<Object> values = new ArrayList<>(row.length() + 5 + scoreColumns.size());
        for (int c = 0; c < row.length(); c++) {
            values.add(row.get(c));
        }
        if (!latentMean.isEmpty()) {
            values.add(Vectors.dense(doubles(scores.latentMean()[i])));
        }
        if (!latentLogVar.isEmpty()) {
            values.add(Vectors.dense(doubles(scores.latentLogVar()[i])));
        }
        if (!negElbo.isEmpty()) {
            values.add(scores.negElbo(i));
        }
        if (!reconstruction.isEmpty()) {
            values.add(Vectors.dense(doubles(scores.decoded()[i])));
        }
        if (!logLikelihood.isEmpty()) {
            values.add(scores.logLikelihood()[i]);
        }
        for (AnomalyScore s : scoreColumns.keySet()) {
            values.add(scores.score(s, i));
        }
        return RowFactory.create(values.toArray());
    }

    /** A row's index as a long (int or long column), refusing a null. */
    static long index(Row row, int at, String column) {
        if (row.isNullAt(at)) {
            throw new BadInputException("column '" + column + "' is null in a row: every row needs an index");
        }
        return ((Number) row.get(at)).longValue();
    }

    private static double[] doubles(float[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }
}

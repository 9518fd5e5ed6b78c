package io.sparkvae.ml;

import io.sparkvae.io.BadInputException;
import io.sparkvae.scoring.BlockScores;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The columns {@link VaeModel} appends to each row, in this order, each left out when its name is empty: the latent
 * mean and log-variance (Spark ML vectors), the -ELBO, the reconstruction (a vector of pixel means) and the
 * importance-sampled log-likelihood.
 */
record ScoredRows(String latentMean, String latentLogVar, String negElbo, String reconstruction, String logLikelihood)
        implements Serializable {

    /** The names of the columns that are switched on. */
    List<String> names() {
        List<String> out = new ArrayList<>();
        for (String n : List.of(latentMean, latentLogVar, negElbo, reconstruction, logLikelihood)) {
            if (!n.isEmpty()) {
                out.add(n);
            }
        }
        return out;
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
                    + "latentMeanCol, latentLogVarCol, negElboCol, reconstructionCol, logLikelihoodCol)");
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
        List<Object> values = new ArrayList<>(row.length() + 5);
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

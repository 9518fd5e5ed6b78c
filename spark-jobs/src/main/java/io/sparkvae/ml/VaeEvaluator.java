package io.sparkvae.ml;

import io.sparkvae.io.BadInputException;
import org.apache.spark.ml.evaluation.Evaluator;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReadable;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructType;

/**
 * Scores a {@link VaeModel}'s output for model selection ({@code CrossValidator}, {@code TrainValidationSplit}): the
 * mean -ELBO of the rows ({@code negElbo}, nats, smaller is better) or their mean importance-sampled log-likelihood
 * ({@code logLikelihood}, nats, larger is better; set the estimator's {@code logLikelihoodCol} so its models write it).
 */
public final class VaeEvaluator extends Evaluator implements DefaultParamsWritable {
    private static final long serialVersionUID = 1L;
    static final String OWNER = "VaeEvaluator";
    /** The metric names. */
    public static final String NEG_ELBO = "negElbo";
    public static final String LOG_LIKELIHOOD = "logLikelihood";

    private final String uid;
    private final Param<String> metricName;
    private final Param<String> negElboCol;
    private final Param<String> logLikelihoodCol;

    public VaeEvaluator(String uid) {
        this.uid = uid;
        metricName = new Param<>(this, "metricName", "negElbo (mean -ELBO, smaller is better) | logLikelihood (mean "
                + "importance-sampled log p(x), larger is better)", ParamValidators.inArray(new String[] {NEG_ELBO, LOG_LIKELIHOOD}));
        negElboCol = new Param<>(this, "negElboCol", "the -ELBO column (the model's negElboCol)");
        logLikelihoodCol = new Param<>(this, "logLikelihoodCol", "the log-likelihood column (the model's logLikelihoodCol)");
        setDefault(metricName, NEG_ELBO);
        setDefault(negElboCol, "neg_elbo");
        setDefault(logLikelihoodCol, "log_likelihood");
    }

    public VaeEvaluator() {
        this(Identifiable.randomUID("vaeEvaluator"));
    }

    public static MLReader<VaeEvaluator> read() {
        return new DefaultParamsReadable<VaeEvaluator>() {}.read();
    }

    public static VaeEvaluator load(String path) {
        return read().load(path);
    }

    @Override
    public String uid() {
        return uid;
    }

    public Param<String> metricName() {
        return metricName;
    }

    public Param<String> negElboCol() {
        return negElboCol;
    }

    public Param<String> logLikelihoodCol() {
        return logLikelihoodCol;
    }

    public String getMetricName() {
        return $(metricName);
    }

    public String getNegElboCol() {
        return $(negElboCol);
    }

    public String getLogLikelihoodCol() {
        return $(logLikelihoodCol);
    }

    public VaeEvaluator setMetricName(String value) {
        return (VaeEvaluator) set(metricName, value);
    }

    public VaeEvaluator setNegElboCol(String value) {
        return (VaeEvaluator) set(negElboCol, value);
    }

    public VaeEvaluator setLogLikelihoodCol(String value) {
        return (VaeEvaluator) set(logLikelihoodCol, value);
    }

    /**
     * The metric's mean over the rows.
     *
     * @throws IllegalArgumentException when the column is missing or not numeric
     * @throws BadInputException        when there are no rows, or a row's score is null or not finite
     */
    @Override
    public double evaluate(Dataset<?> dataset) {
        boolean elbo = NEG_ELBO.equals(getMetricName());
        String column = elbo ? getNegElboCol() : getLogLikelihoodCol();
        StructType schema = dataset.schema();
        if (schema.getFieldIndex(column).isEmpty()) {
            throw new IllegalArgumentException(OWNER + ": column '" + column + "' for metric " + getMetricName()
                    + " does not exist; columns: " + String.join(", ", schema.fieldNames())
                    + (elbo ? "" : " (set the estimator's or model's logLikelihoodCol to '" + column + "')"));
        }
        if (!(schema.apply(column).dataType() instanceof NumericType)) {
            throw new IllegalArgumentException(OWNER + ": column '" + column + "' is "
                    + schema.apply(column).dataType().simpleString() + "; expected a number");
        }
        var c = functions.col(column).cast("double");
        Row r = dataset.agg(functions.count(functions.lit(1)), functions.sum(c),
                functions.count(functions.when(c.isNull().or(functions.isnan(c)).or(functions.abs(c).equalTo(Double.POSITIVE_INFINITY)),
                        1))).first();
        long rows = r.getLong(0);
        if (rows == 0) {
            throw new BadInputException(OWNER + ": no rows to evaluate");
        }
        if (r.getLong(2) > 0) {
            throw new BadInputException(OWNER + ": column '" + column + "' has " + r.getLong(2) + " of " + rows
                    + " rows null or not finite");
        }
        return r.getDouble(1) / rows;
    }

    @Override
    public boolean isLargerBetter() {
        return LOG_LIKELIHOOD.equals(getMetricName());
    }

    @Override
    public VaeEvaluator copy(ParamMap extra) {
        return (VaeEvaluator) defaultCopy(extra);
    }
}

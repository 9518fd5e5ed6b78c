package io.sparkvae.ml;

import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.param.Params;

/**
 * The Params {@link VaeEstimator} and {@link VaeModel} share (as MLlib's estimators and models share one
 * {@code ...Params} trait): the input and index columns, the output columns, the scoring settings and the seed. A fit
 * hands the estimator's values to its model.
 *
 * <p>Each accessor makes its Param afresh: Spark ML identifies a Param by its parent's uid and its name (they are the
 * keys of every ParamMap), so the instances are interchangeable and the implementing class holds no Param fields.
 *
 * @param <S> the implementing class, which the setters return
 */
public interface VaeParams<S extends VaeParams<S>> extends Params {

    default Param<String> inputCol() {
        return new Param<>(uid(), "inputCol", "images, one per row: array<float>, array<double> or vector of HWC pixel "
                + "values in [0, 1], all of the model's size");
    }

    default Param<String> indexCol() {
        return new Param<>(uid(), "indexCol", "integer index column: a fit numbers the examples by it (their minibatch "
                + "order is seeded by it), the model scores rows in aligned index blocks by it (bit-identical whatever the "
                + "partitioning); when the default column is absent, rows are taken where they are; empty: never");
    }

    default Param<String> latentMeanCol() {
        return new Param<>(uid(), "latentMeanCol", "output: posterior mean E[z|x] (vector); empty skips it");
    }

    default Param<String> latentLogVarCol() {
        return new Param<>(uid(), "latentLogVarCol", "output: posterior log-variance (vector); empty skips it");
    }

    default Param<String> negElboCol() {
        return new Param<>(uid(), "negElboCol", "output: -ELBO in nats (double); empty skips it");
    }

    default Param<String> reconstructionCol() {
        return new Param<>(uid(), "reconstructionCol", "output: decoder means at the posterior mean (vector of pixel "
                + "values); empty skips it");
    }

    default Param<String> logLikelihoodCol() {
        return new Param<>(uid(), "logLikelihoodCol", "output: importance-sampled log p(x) in nats with isSamples "
                + "samples (double); empty skips it");
    }

    default IntParam isSamples() {
        return new IntParam(uid(), "isSamples", "importance samples K for logLikelihoodCol (>= 1)", ParamValidators.gtEq(1));
    }

    default IntParam elboSamples() {
        return new IntParam(uid(), "elboSamples", "eps draws per row for the -ELBO (>= 1)", ParamValidators.gtEq(1));
    }

    default LongParam seed() {
        return new LongParam(uid(), "seed", "seed of everything random: a fit's initialisation, minibatch order, noise "
                + "and held-out rows; the rows' noise streams when scoring (a fitted model's default: its training seed)");
    }

    default String getInputCol() {
        return $(inputCol());
    }

    default String getIndexCol() {
        return $(indexCol());
    }

    default String getLatentMeanCol() {
        return $(latentMeanCol());
    }

    default String getLatentLogVarCol() {
        return $(latentLogVarCol());
    }

    default String getNegElboCol() {
        return $(negElboCol());
    }

    default String getReconstructionCol() {
        return $(reconstructionCol());
    }

    default String getLogLikelihoodCol() {
        return $(logLikelihoodCol());
    }

    default int getIsSamples() {
        return (Integer) $(isSamples());
    }

    default int getElboSamples() {
        return (Integer) $(elboSamples());
    }

    default long getSeed() {
        return (Long) $(seed());
    }

    default S setInputCol(String value) {
        return setParam(inputCol(), value);
    }

    default S setIndexCol(String value) {
        return setParam(indexCol(), value);
    }

    default S setLatentMeanCol(String value) {
        return setParam(latentMeanCol(), value);
    }

    default S setLatentLogVarCol(String value) {
        return setParam(latentLogVarCol(), value);
    }

    default S setNegElboCol(String value) {
        return setParam(negElboCol(), value);
    }

    default S setReconstructionCol(String value) {
        return setParam(reconstructionCol(), value);
    }

    default S setLogLikelihoodCol(String value) {
        return setParam(logLikelihoodCol(), value);
    }

    default S setIsSamples(int value) {
        return setParam(isSamples(), value);
    }

    default S setElboSamples(int value) {
        return setParam(elboSamples(), value);
    }

    default S setSeed(long value) {
        return setParam(seed(), value);
    }

    /** Sets one Param and returns the implementing class, as every setter of Spark ML does. */
    @SuppressWarnings("unchecked")
    private <T> S setParam(Param<T> param, T value) {
        return (S) set(param, value);
    }

    /** The shared defaults, which the implementing class's constructor sets ({@code seed}: its default seed). */
    static void setSharedDefaults(VaeParams<?> p, long seed) {
        p.setDefault(p.inputCol(), "pixels");
        p.setDefault(p.indexCol(), "index");
        p.setDefault(p.latentMeanCol(), "latent_mean");
        p.setDefault(p.latentLogVarCol(), "latent_log_var");
        p.setDefault(p.negElboCol(), "neg_elbo");
        p.setDefault(p.reconstructionCol(), "");
        p.setDefault(p.logLikelihoodCol(), "");
        p.setDefault(p.isSamples(), 1000);
        p.setDefault(p.elboSamples(), 1);
        p.setDefault(p.seed(), seed);
    }
}

package io.sparkvae.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The hand-written -ELBO and its gradient, in double precision, against finite differences and plain Java. */
class VaeMathTest {

    private static final int INPUT = 6;
    private static final int[] HIDDEN = {5, 4};
    private static final int LATENT = 3;
    private static final int BATCH = 8;

    private static INDArray randomParams(VaeParameterLayout layout, long seed) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.randn(DataType.DOUBLE, 1, layout.numParams).muli(0.5);
    }

    private static INDArray images(long seed) {
        return images(seed, BATCH);
    }

    private static INDArray images(long seed, int rows) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.rand(DataType.DOUBLE, rows, INPUT);
    }

    private static double forward(VaeMath math, INDArray params, INDArray x, INDArray eps) {
        math.noiseBuffer((int) x.size(0), DataType.DOUBLE).assign(eps);
        return math.forward(params, x);
    }

    @ParameterizedTest
    @CsvSource({"relu, 8", "tanh, 8", "relu, 1", "tanh, 1"}) // one row takes the unfused affine path (see VaeMath.fusable)
    void gradientMatchesCentralDifferencesForEveryParameter(String activation, int batch) {
        VaeParameterLayout layout = new VaeParameterLayout(INPUT, HIDDEN, LATENT);
        VaeMath math = new VaeMath(layout, "tanh".equals(activation));
        INDArray params = randomParams(layout, 42);
        INDArray x = images(7, batch);
        Nd4j.getRandom().setSeed(3);
        INDArray eps = Nd4j.randn(DataType.DOUBLE, batch, LATENT);
        INDArray grads = Nd4j.zeros(DataType.DOUBLE, 1, layout.numParams);

        math.noiseBuffer(batch, DataType.DOUBLE).assign(eps);
        double value = math.forwardBackward(params, x, grads, 1.0);
        assertEquals(value, forward(math, params, x, eps), 1e-12);

        double h = 1e-6;
        double worst = 0;
        int checked = 0;
        for (long i = 0; i < layout.numParams; i++) {
            double p = params.getDouble(0, i);
            params.putScalar(0, i, p + h);
            double up = forward(math, params, x, eps);
            params.putScalar(0, i, p - h);
            double down = forward(math, params, x, eps);
            params.putScalar(0, i, p);
            double numeric = (up - down) / (2 * h);
            double analytic = grads.getDouble(0, i);
            double error = Math.abs(numeric - analytic) / Math.max(1.0, Math.abs(numeric) + Math.abs(analytic));
            worst = Math.max(worst, error);
            assertTrue(error < 1e-6, "parameter " + i + " (" + segmentOf(layout, i) + "): analytic " + analytic
                    + " vs numeric " + numeric);
            checked++;
        }
        assertEquals(layout.numParams, checked);
        // The gradient is not trivially zero anywhere important: every segment has some non-zero entry (with one
        // example a whole small ReLU layer may be inactive, so only tanh is held to this there).
        for (VaeParameterLayout.Segment s : batch == 1 && "relu".equals(activation) ? List.<VaeParameterLayout.Segment>of() : layout.all) {
            assertTrue(s.view(grads).amaxNumber().doubleValue() > 1e-8, "zero gradient for " + s.name());
        }
        System.out.println(activation + ": worst relative gradient error " + worst + " over " + checked + " parameters");
    }

    private static String segmentOf(VaeParameterLayout layout, long i) {
        for (VaeParameterLayout.Segment s : layout.all) {
            if (i >= s.offset() && i < s.offset() + s.length()) {
                return s.name();
            }
        }
        return "?";
    }

    @ParameterizedTest
    @ValueSource(strings = {"relu", "tanh"})
    void lossTermsMatchAnIndependentJavaComputation(String activation) {
        VaeParameterLayout layout = new VaeParameterLayout(INPUT, HIDDEN, LATENT);
        boolean tanh = "tanh".equals(activation);
        VaeMath math = new VaeMath(layout, tanh);
        INDArray params = randomParams(layout, 5).muli(8); // large weights: logits far outside softplus' easy range
        layout.outputWeights.view(params).muli(400); // tanh caps hidden units at 1, so scale the logit layer itself
        INDArray x = images(11);
        Nd4j.getRandom().setSeed(13);
        INDArray eps = Nd4j.randn(DataType.DOUBLE, BATCH, LATENT);
        double total = forward(math, params, x, eps);
        double[] rec = math.reconstruction().toDoubleVector();
        double[] kl = math.kl().toDoubleVector();

        double[] p = params.toDoubleVector();
        double expectedTotal = 0;
        double maxAbsLogit = 0;
        for (int r = 0; r < BATCH; r++) {
            double[] xr = x.getRow(r).toDoubleVector();
            double[] h = xr;
            for (int i = 0; i < HIDDEN.length; i++) {
                h = act(affine(h, p, layout.encoderWeights[i], layout.encoderBiases[i]), tanh);
            }
            double[] mu = affine(h, p, layout.meanWeights, layout.meanBias);
            double[] lv = affine(h, p, layout.logVarianceWeights, layout.logVarianceBias);
            double klExpected = 0;
            double[] z = new double[LATENT];
            for (int j = 0; j < LATENT; j++) {
                klExpected += 0.5 * (mu[j] * mu[j] + Math.exp(lv[j]) - 1 - lv[j]);
                z[j] = mu[j] + Math.exp(0.5 * lv[j]) * eps.getDouble(r, j);
            }
            double[] d = z;
            for (int j = 0; j < HIDDEN.length; j++) {
                d = act(affine(d, p, layout.decoderWeights[j], layout.decoderBiases[j]), tanh);
            }
            double[] logits = affine(d, p, layout.outputWeights, layout.outputBias);
            double recExpected = 0;
            for (int k = 0; k < INPUT; k++) {
                double l = logits[k];
                maxAbsLogit = Math.max(maxAbsLogit, Math.abs(l));
                // -[x log sigmoid(l) + (1 - x) log(1 - sigmoid(l))], each log computed stably on its own
                double logSig = -softplusRef(-l);
                double logOneMinusSig = -softplusRef(l);
                recExpected += -(xr[k] * logSig + (1 - xr[k]) * logOneMinusSig);
            }
            assertEquals(klExpected, kl[r], 1e-9 * Math.max(1, klExpected), "KL row " + r);
            assertEquals(recExpected, rec[r], 1e-9 * Math.max(1, recExpected), "reconstruction row " + r);
            expectedTotal += klExpected + recExpected;
        }
        assertEquals(expectedTotal, total, 1e-9 * expectedTotal);
        // The training path sums the same loss in fewer passes; it must agree, large logits included.
        math.noiseBuffer(BATCH, DataType.DOUBLE).assign(eps);
        double trainingTotal = math.forwardBackward(params, x, Nd4j.zeros(DataType.DOUBLE, 1, layout.numParams), 1.0);
        // Finite and right although exp(l) overflows for some logits: only the overflow-proof path gives that.
        assertEquals(expectedTotal, trainingTotal, 1e-9 * expectedTotal);
        assertTrue(maxAbsLogit > 710, "test should reach logits where exp overflows even in double: " + maxAbsLogit);
    }

    @ParameterizedTest
    @ValueSource(doubles = {1.0, 3000.0})
    void importanceSamplingLikelihoodAgreesWithTheTrainingLossOnBothSoftplusPaths(double logitScale) {
        // Scale 1: ordinary logits (direct softplus); scale 3000: logits beyond the overflow guard (stable form).
        VaeParameterLayout layout = new VaeParameterLayout(INPUT, HIDDEN, LATENT);
        VaeMath math = new VaeMath(layout, false);
        INDArray params = randomParams(layout, 17);
        layout.outputWeights.view(params).muli(logitScale);
        layout.outputBias.view(params).muli(logitScale);
        INDArray x = images(19);
        Nd4j.getRandom().setSeed(23);
        INDArray eps = Nd4j.randn(DataType.DOUBLE, BATCH, LATENT);
        forward(math, params, x, eps);
        INDArray expected = math.reconstruction().neg();
        double maxLogit = math.logits().maxNumber().doubleValue();
        INDArray z = Nd4j.create(DataType.DOUBLE, BATCH, LATENT);
        double[] mu = math.mean().dup().data().asDouble();
        double[] lv = math.logVariance().dup().data().asDouble();
        for (int r = 0; r < BATCH; r++) {
            for (int j = 0; j < LATENT; j++) {
                z.putScalar(r, j, mu[r * LATENT + j] + Math.exp(0.5 * lv[r * LATENT + j]) * eps.getDouble(r, j));
            }
        }
        INDArray out = Nd4j.create(DataType.DOUBLE, BATCH);
        // one sample per image: row r belongs to image r
        math.bernoulliLogLikelihood(params, z, x, 1, out);
        // Scale 3000 puts logits where exp overflows even in double: finite, matching values prove the stable form ran.
        assertEquals(logitScale > 1, maxLogit > 710, "path under test, max logit " + maxLogit);
        for (int r = 0; r < BATCH; r++) {
            assertEquals(expected.getDouble(r), out.getDouble(r), 1e-9 * Math.max(1, Math.abs(expected.getDouble(r))), "row " + r);
        }
    }

    /** log(1 + e^v) via the textbook branch, as a reference independent of the ND4J expression. */
    private static double softplusRef(double v) {
        return v > 0 ? v + Math.log1p(Math.exp(-v)) : Math.log1p(Math.exp(v));
    }

    private static double[] affine(double[] in, double[] p, VaeParameterLayout.Segment w, VaeParameterLayout.Segment b) {
        double[] out = new double[w.cols()];
        for (int c = 0; c < w.cols(); c++) {
            double s = p[(int) (b.offset() + c)];
            for (int r = 0; r < w.rows(); r++) {
                s += in[r] * p[(int) (w.offset() + (long) c * w.rows() + r)]; // column-major
            }
            out[c] = s;
        }
        return out;
    }

    private static double[] act(double[] v, boolean tanh) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = tanh ? Math.tanh(v[i]) : Math.max(0, v[i]);
        }
        return out;
    }
}

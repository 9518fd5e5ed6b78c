package io.sparkvae.model;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinearDerivative;
import org.nd4j.linalg.api.ops.impl.transforms.ReluLayer;
import org.nd4j.linalg.api.ops.impl.transforms.custom.XwPlusB;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.api.ops.impl.transforms.same.Abs;
import org.nd4j.linalg.api.ops.impl.transforms.same.OneMinus;
import org.nd4j.linalg.api.ops.impl.transforms.same.Square;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Exp;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Log1p;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Sigmoid;
import org.nd4j.linalg.api.ops.impl.transforms.strict.SoftPlus;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Tanh;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The VAE's forward pass, negative ELBO and its gradient, written by hand as ND4J ops on a flat parameter vector.
 *
 * <p>Pure in the sense that matters for testing: given parameters, inputs x [B, D] and noise eps [B, nz] it computes a
 * deterministic result in the arrays' own precision, so a double-precision finite-difference check covers the exact
 * code that trains the model. The DL4J glue ({@link VaeOutputLayer}) and {@link Vae} call it.
 *
 * <p>Per image: {@code -ELBO = sum_d [softplus(l_d) - x_d l_d] + KL(N(mu, sigma^2) || N(0, I))}, with l the decoder's
 * pixel logits; its gradient w.r.t. l is {@code sigmoid(l) - x}. softplus never overflows (see the note on the
 * two softplus paths below). KL is the closed form {@code 0.5 * sum_j (mu^2 + sigma^2 - 1 - log sigma^2)}.
 *
 * <p>Cost model (measured on the 2-core benchmark machine, see docs/BENCHMARKS.md): besides the gemms, every ND4J op
 * call costs tens of microseconds whatever its size, and much more when other processes compete for the cores. So:
 * <ul>
 *   <li>affine layers are ONE fused libnd4j op each ({@code relu_layer} = relu(xW + b), {@code xw_plus_b}), measured
 *       as fast as the bare gemm, where gemm + bias add + relu cost up to twice that;</li>
 *   <li>the mean and log-variance heads share one [hidden, 2 nz] weight matrix (one gemm each way);</li>
 *   <li>everything latent-sized ([B, nz]: sampling z, KL, their gradients) runs as a plain Java loop over a few
 *       thousand doubles, replacing about 20 op calls;</li>
 *   <li>every intermediate lives in a buffer allocated once per batch size, outside any DL4J workspace (a workspace
 *       is reset every iteration; these arrays are reused across iterations), so a step allocates nothing but op
 *       descriptors; the gradient w.r.t. the input x is never formed.</li>
 * </ul>
 * Not thread-safe: one instance per network.
 */
final class VaeMath {

    /*
     * softplus(l) = log(1 + exp(l)) is first evaluated directly, which is exact to float precision wherever exp(l) does
     * not overflow (l below about 88.7 in float, 709 in double: large l give log(exp(l)) = l, very negative l lose at
     * most ~1e-7 nats per pixel). An overflow shows up as an infinite sum; only then is the always-finite form
     * softplus(l) = 1/2 l + 1/2 |l| + softplus(-|l|) evaluated. The normal path thus skips the abs/negate passes over
     * the logits. (VaeMathTest drives both paths with logits beyond exp's range and checks the values.)
     */

    private final VaeParameterLayout layout;
    private final boolean tanh;

    // Parameter and gradient views, rebuilt only when DL4J hands us a different flat array.
    private INDArray viewedParams;
    private INDArray[] encW, encB, decW, decB;
    private INDArray headW, headB, outW, outB;
    private INDArray viewedGrads;
    private INDArray[] gEncW, gEncB, gDecW, gDecB;
    private INDArray gHeadW, gHeadB, gOutW, gOutB;

    private Buffers buf;

    VaeMath(VaeParameterLayout layout, boolean tanh) {
        this.layout = layout;
        this.tanh = tanh;
    }

    /** Activation arrays for one batch size and precision. */
    private static final class Buffers {
        final int rows;
        final DataType type;
        final INDArray[] encH, encDelta, decH, decDelta;
        /** [rows, 2 nz]: mean in columns 0..nz-1, log-variance in nz..2nz-1; its gradient likewise. */
        final INDArray head, dHead;
        final INDArray z, eps, dz;
        final INDArray logits, pixelGrad, work;
        final INDArray reconstruction, kl;
        /** Latent-sized values on the Java heap, kept from forward for backward. */
        double[] headJ, epsJ, sigmaJ;
        final double[] klJ;

        Buffers(VaeParameterLayout l, int rows, DataType type) {
            this.rows = rows;
            this.type = type;
            int n = l.hidden.length;
            encH = new INDArray[n];
            encDelta = new INDArray[n];
            decH = new INDArray[n];
            decDelta = new INDArray[n];
            for (int i = 0; i < n; i++) {
                encH[i] = matrix(rows, l.hidden[i]);
                encDelta[i] = matrix(rows, l.hidden[i]);
                decH[i] = matrix(rows, l.decoderWidth(i));
                decDelta[i] = matrix(rows, l.decoderWidth(i));
            }
            int nz = l.latentSize;
            head = matrix(rows, 2 * nz);
            dHead = matrix(rows, 2 * nz);
            z = matrix(rows, nz);
            eps = matrix(rows, nz);
            dz = matrix(rows, nz);
            logits = matrix(rows, l.inputSize);
            pixelGrad = matrix(rows, l.inputSize);
            work = matrix(rows, l.inputSize);
            reconstruction = Nd4j.create(type, rows);
            kl = Nd4j.create(type, rows);
            klJ = new double[rows];
        }

        private INDArray matrix(int r, int c) {
            return Nd4j.create(type, new long[] {r, c}, 'c');
        }
    }

    /** The buffers for {@code rows} examples in {@code type}, allocated detached from any open workspace. */
    private Buffers buffers(int rows, DataType type) {
        if (buf == null || buf.rows != rows || buf.type != type) {
            try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                buf = new Buffers(layout, rows, type);
            }
        }
        return buf;
    }

    /** The noise buffer of the current batch, for callers that fill it from their own RNG before {@link #forward}. */
    INDArray noiseBuffer(int rows, DataType type) {
        return buffers(rows, type).eps;
    }

    /** A bias segment as the 1-D view the fused ops want. */
    private static INDArray bias1d(VaeParameterLayout.Segment s, INDArray flat) {
        return s.view(flat).reshape(s.cols());
    }

    private void bindParams(INDArray params) {
        if (params == viewedParams) {
            return;
        }
        try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
            int n = layout.hidden.length;
            encW = new INDArray[n];
            encB = new INDArray[n];
            decW = new INDArray[n];
            decB = new INDArray[n];
            for (int i = 0; i < n; i++) {
                encW[i] = layout.encoderWeights[i].view(params);
                encB[i] = bias1d(layout.encoderBiases[i], params);
                decW[i] = layout.decoderWeights[i].view(params);
                decB[i] = bias1d(layout.decoderBiases[i], params);
            }
            headW = layout.headWeights.view(params);
            headB = bias1d(layout.headBias, params);
            outW = layout.outputWeights.view(params);
            outB = bias1d(layout.outputBias, params);
        }
        viewedParams = params;
    }

    private void bindGradients(INDArray grads) {
        if (grads == viewedGrads) {
            return;
        }
        try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
            int n = layout.hidden.length;
            gEncW = new INDArray[n];
            gEncB = new INDArray[n];
            gDecW = new INDArray[n];
            gDecB = new INDArray[n];
            for (int i = 0; i < n; i++) {
                gEncW[i] = layout.encoderWeights[i].view(grads);
                gEncB[i] = layout.encoderBiases[i].view(grads);
                gDecW[i] = layout.decoderWeights[i].view(grads);
                gDecB[i] = layout.decoderBiases[i].view(grads);
            }
            gHeadW = layout.headWeights.view(grads);
            gHeadB = layout.headBias.view(grads);
            gOutW = layout.outputWeights.view(grads);
            gOutB = layout.outputBias.view(grads);
        }
        viewedGrads = grads;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Forward pieces

    /** Encoder: fills the [mean | log-variance] head of q(z|x) for the rows of x. */
    void encode(INDArray params, INDArray x) {
        bindParams(params);
        Buffers b = buffers((int) x.size(0), params.dataType());
        INDArray in = x;
        for (int i = 0; i < layout.hidden.length; i++) {
            hidden(in, encW[i], encB[i], b.encH[i]);
            in = b.encH[i];
        }
        affine(in, headW, headB, b.head);
    }

    /** Mean of q(z|x) from the last {@link #encode} (a strided view of a reused buffer). */
    INDArray mean() {
        return buf.head.get(NDArrayIndex.all(), NDArrayIndex.interval(0, layout.latentSize));
    }

    /** Log-variance of q(z|x) from the last {@link #encode} (a strided view of a reused buffer). */
    INDArray logVariance() {
        return buf.head.get(NDArrayIndex.all(), NDArrayIndex.interval(layout.latentSize, 2 * layout.latentSize));
    }

    /**
     * z = mu + sigma * eps into the z buffer (eps already in the eps buffer), and the closed-form KL per row into
     * {@code klJ}. A Java loop: for [rows x nz] values it costs a few microseconds, an ND4J op call about as much each.
     */
    private void reparameterise(Buffers b) {
        int nz = layout.latentSize;
        double[] head = b.head.data().asDouble();
        double[] eps = b.eps.data().asDouble();
        double[] sigma = new double[eps.length];
        double[] z = new double[eps.length];
        for (int r = 0; r < b.rows; r++) {
            double kl = 0;
            for (int j = 0; j < nz; j++) {
                double mu = head[r * 2 * nz + j];
                double logVar = head[r * 2 * nz + nz + j];
                double s = Math.exp(0.5 * logVar);
                sigma[r * nz + j] = s;
                z[r * nz + j] = mu + s * eps[r * nz + j];
                kl += mu * mu + s * s - 1.0 - logVar;
            }
            b.klJ[r] = 0.5 * kl;
        }
        b.headJ = head;
        b.epsJ = eps;
        b.sigmaJ = sigma;
        b.z.data().setData(z);
    }

    /** Decoder from {@code z} (rows must equal the buffers' rows) to pixel logits in the logits buffer. */
    private INDArray decodeLogits(Buffers b, INDArray z) {
        INDArray in = z;
        for (int j = 0; j < layout.hidden.length; j++) {
            hidden(in, decW[j], decB[j], b.decH[j]);
            in = b.decH[j];
        }
        affine(in, outW, outB, b.logits);
        return b.logits;
    }

    /** Pixel means sigmoid(decoder(z)) written into {@code out} [rows, D]. */
    void decodeMeans(INDArray params, INDArray z, INDArray out) {
        bindParams(params);
        Buffers b = buffers((int) z.size(0), params.dataType());
        Nd4j.exec(new Sigmoid(decodeLogits(b, z), out));
    }

    /**
     * Per-example reconstruction term sum_d [softplus(l_d) - x_d l_d] into {@code b.reconstruction} (always the stable
     * form: evaluation is not the hot path) and the KL into {@code b.kl}.
     */
    private void lossTerms(Buffers b, INDArray x) {
        INDArray l = b.logits;
        INDArray t = b.work;
        INDArray u = b.pixelGrad; // free during a forward-only pass
        Nd4j.exec(new Abs(l, t));
        t.negi();
        Nd4j.exec(new Exp(t, t));
        Nd4j.exec(new Log1p(t, t));
        Nd4j.exec(new org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear(l, u));
        t.addi(u);
        Nd4j.exec(new MulOp(x, l, u));
        t.subi(u);
        t.sum(b.reconstruction, 1);
        b.kl.data().setData(b.klJ);
    }

    /** The batch total of the reconstruction term; training needs no per-row values, so fewer passes. */
    private double reconstructionTotal(Buffers b, INDArray x) {
        INDArray l = b.logits;
        INDArray t = b.work;
        double xDotL = Nd4j.getBlasWrapper().dot(x, l);
        Nd4j.exec(new SoftPlus(l, t));
        double direct = MatrixTotals.total(t, b.reconstruction);
        if (Double.isFinite(direct)) {
            return direct - xDotL;
        }
        return MatrixTotals.softplusTotal(l, t, b.reconstruction) - xDotL;
    }

    /**
     * Forward pass with the noise already in {@link #noiseBuffer}; fills the per-example terms and returns the batch
     * sum of -ELBO.
     */
    double forward(INDArray params, INDArray x) {
        encode(params, x);
        Buffers b = buf;
        reparameterise(b);
        decodeLogits(b, b.z);
        lossTerms(b, x);
        return b.reconstruction.sumNumber().doubleValue() + b.kl.sumNumber().doubleValue();
    }

    /** Per-example reconstruction term of the last {@link #forward} (a reused buffer: copy it to keep it). */
    INDArray reconstruction() {
        return buf.reconstruction;
    }

    /** Per-example KL term of the last {@link #forward} (a reused buffer: copy it to keep it). */
    INDArray kl() {
        return buf.kl;
    }

    /** Pixel logits of the last decoder pass (a reused buffer). */
    INDArray logits() {
        return buf.logits;
    }

    /**
     * Forward and backward pass with the noise already in {@link #noiseBuffer}: writes {@code gradientScale} times the
     * gradient of the batch SUM of -ELBO into {@code grads} and returns that sum. The layer passes 1/batch (the mean
     * gradient, so DL4J's updater need not divide all gradients by the batch size in another pass).
     */
    double forwardBackward(INDArray params, INDArray x, INDArray grads, double gradientScale) {
        encode(params, x);
        Buffers b = buf;
        reparameterise(b);
        decodeLogits(b, b.z);
        double total = reconstructionTotal(b, x);
        for (double v : b.klJ) {
            total += v;
        }
        bindGradients(grads);
        int n = layout.hidden.length;

        // d(-ELBO)/d logits = sigmoid(l) - x
        INDArray dLogits = b.pixelGrad;
        Nd4j.exec(new Sigmoid(b.logits, dLogits));
        dLogits.subi(x);
        if (gradientScale != 1.0) {
            dLogits.muli(gradientScale);
        }
        INDArray lastDec = b.decH[n - 1];
        Nd4j.gemm(lastDec, dLogits, gOutW, true, false, 1.0, 0.0);
        dLogits.sum(gOutB, 0);
        Nd4j.gemm(dLogits, outW, b.decDelta[n - 1], false, true, 1.0, 0.0);

        for (int j = n - 1; j >= 0; j--) {
            activationBackward(b.decH[j], b.decDelta[j]);
            INDArray in = j == 0 ? b.z : b.decH[j - 1];
            Nd4j.gemm(in, b.decDelta[j], gDecW[j], true, false, 1.0, 0.0);
            b.decDelta[j].sum(gDecB[j], 0);
            INDArray down = j == 0 ? b.dz : b.decDelta[j - 1];
            Nd4j.gemm(b.decDelta[j], decW[j], down, false, true, 1.0, 0.0);
        }

        // Through z = mu + sigma * eps, plus the KL term's own gradient (scaled like the rest), into [dMu | dLogVar].
        int nz = layout.latentSize;
        double[] dz = b.dz.data().asDouble();
        double[] dHead = new double[2 * dz.length];
        for (int r = 0; r < b.rows; r++) {
            for (int j = 0; j < nz; j++) {
                int k = r * nz + j;
                double mu = b.headJ[r * 2 * nz + j];
                double s = b.sigmaJ[k];
                dHead[r * 2 * nz + j] = dz[k] + gradientScale * mu;
                dHead[r * 2 * nz + nz + j] = 0.5 * (dz[k] * b.epsJ[k] * s + gradientScale * (s * s - 1.0));
            }
        }
        b.dHead.data().setData(dHead);

        INDArray top = b.encH[n - 1];
        Nd4j.gemm(top, b.dHead, gHeadW, true, false, 1.0, 0.0);
        b.dHead.sum(gHeadB, 0);
        Nd4j.gemm(b.dHead, headW, b.encDelta[n - 1], false, true, 1.0, 0.0);

        for (int i = n - 1; i >= 0; i--) {
            activationBackward(b.encH[i], b.encDelta[i]);
            INDArray in = i == 0 ? x : b.encH[i - 1];
            Nd4j.gemm(in, b.encDelta[i], gEncW[i], true, false, 1.0, 0.0);
            b.encDelta[i].sum(gEncB[i], 0);
            if (i > 0) {
                Nd4j.gemm(b.encDelta[i], encW[i], b.encDelta[i - 1], false, true, 1.0, 0.0);
            }
        }
        return total;
    }

    /**
     * log p(x_a | z_r) for every row r of {@code z}, where row r belongs to image {@code a = r / samplesPerImage} of
     * {@code images}; written into {@code out} [rows]. Used by importance sampling, so it is tuned for many rows:
     * sum_d [x_d l_d - softplus(l_d)], where the first sum is one matrix-vector product per image (no x repeated k
     * times) and the second is the direct softplus computed IN PLACE over the logits plus one row-sum pass.
     *
     * @param images the images, [images, D]
     */
    void bernoulliLogLikelihood(INDArray params, INDArray z, INDArray images, int samplesPerImage, INDArray out) {
        bindParams(params);
        int rows = (int) z.size(0);
        Buffers b = buffers(rows, params.dataType());
        INDArray l = decodeLogits(b, z);
        int imageCount = rows / samplesPerImage;
        INDArray dots = out.reshape(rows, 1);
        for (int a = 0; a < imageCount; a++) {
            INDArray rowsOfImage = l.get(NDArrayIndex.interval((long) a * samplesPerImage, (long) (a + 1) * samplesPerImage),
                    NDArrayIndex.all());
            INDArray target = dots.get(NDArrayIndex.interval((long) a * samplesPerImage, (long) (a + 1) * samplesPerImage),
                    NDArrayIndex.all());
            Nd4j.gemm(rowsOfImage, images.getRow(a, true), target, false, true, 1.0, 0.0);
        }
        INDArray softplusRows = b.kl;
        Nd4j.exec(new SoftPlus(l, l));
        l.sum(softplusRows, 1);
        if (!Double.isFinite(softplusRows.sumNumber().doubleValue())) {
            // exp overflowed somewhere: recompute the logits and use the form that cannot overflow (rare path).
            decodeLogits(b, z);
            INDArray t = b.work;
            Nd4j.exec(new Abs(l, t));
            t.sum(b.reconstruction, 1);
            t.negi();
            Nd4j.exec(new SoftPlus(t, t));
            t.sum(softplusRows, 1);
            softplusRows.addi(b.reconstruction.addi(l.sum(1)).muli(0.5));
        }
        out.subi(softplusRows);
    }

    // ---------------------------------------------------------------------------------------------------------------

    /** out = act(in W + b) in one fused op for relu, two for tanh. */
    private void hidden(INDArray in, INDArray w, INDArray bias, INDArray out) {
        if (tanh) {
            affine(in, w, bias, out);
            Nd4j.exec(new Tanh(out, out));
        } else if (fusable(in, w)) {
            ReluLayer op = new ReluLayer(in, w, bias);
            op.addOutputArgument(out);
            Nd4j.exec(op);
        } else {
            affine(in, w, bias, out);
            Nd4j.exec(new org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear(out, out));
        }
    }

    /** out = in W + b. */
    private static void affine(INDArray in, INDArray w, INDArray bias, INDArray out) {
        if (fusable(in, w)) {
            Nd4j.exec(new XwPlusB(new INDArray[] {in, w, bias}, out));
        } else {
            Nd4j.gemm(in, w, out, false, false, 1.0, 0.0);
            out.addiRowVector(bias.reshape(1, bias.length()));
        }
    }

    /** libnd4j's fused layer ops insist on true matrices: a single row (or a single column) is a "vector" to them. */
    private static boolean fusable(INDArray in, INDArray w) {
        return in.rows() > 1 && in.columns() > 1 && w.rows() > 1 && w.columns() > 1;
    }

    /** delta *= f'(pre-activation), given the activation's OUTPUT h (relu: h > 0; tanh: 1 - h^2). */
    private void activationBackward(INDArray h, INDArray delta) {
        if (tanh) {
            INDArray t = scratchLike(h);
            Nd4j.exec(new Square(h, t));
            Nd4j.exec(new OneMinus(t, t));
            delta.muli(t);
        } else {
            Nd4j.exec(new RectifiedLinearDerivative(h, delta, delta));
        }
    }

    /** A scratch array shaped like a hidden activation: the matching delta buffer of the other half is free then. */
    private INDArray scratchLike(INDArray h) {
        // During backprop through decoder layer j the encoder deltas are unused yet, and vice versa; widths mirror, so
        // encDelta[n-1-j] has the shape of decH[j] and decDelta[n-1-i] the shape of encH[i].
        Buffers b = buf;
        int n = layout.hidden.length;
        for (int j = 0; j < n; j++) {
            if (h == b.decH[j]) {
                return b.encDelta[n - 1 - j];
            }
            if (h == b.encH[j]) {
                return b.decDelta[n - 1 - j];
            }
        }
        throw new IllegalStateException("not a hidden activation buffer");
    }
}

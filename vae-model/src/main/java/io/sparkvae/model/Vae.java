package io.sparkvae.model;

import io.sparkvae.io.BadInputException;
import java.io.Serializable;
import java.util.Arrays;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.random.impl.GaussianDistribution;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.AdaGrad;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * A VAE: its DL4J network (one {@link VaeLayer}) plus batched inference — encode, decode, ELBO terms and the
 * importance-sampled log-likelihood. Every method takes FLOAT [n, inputSize] inputs in [0, 1], batched over rows,
 * and refuses NaN/Inf with a {@link BadInputException} naming the row. Not thread-safe (it reuses scratch buffers);
 * give each thread its own instance ({@link #wrap} a copy of the network).
 */
public final class Vae implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Rows pushed through the network per op; big enough for efficient gemms, small enough to stay in cache. */
    private static final int CHUNK_ROWS = 1000;
    /** Rows per importance-sampling block: 2000 measured a few percent faster than 500-1000 (bigger gemms). */
    private static final int IS_BLOCK_ROWS = 2000;
    private static final double LOG_2PI = Math.log(2 * Math.PI);

    private final MultiLayerNetwork network;
    private final VaeSpec spec;
    private transient VaeMath math;

    private Vae(MultiLayerNetwork network, VaeSpec spec) {
        this.network = network;
        this.spec = spec;
    }

    /** A freshly initialised VAE (parameters drawn with {@code spec.seed()}). */
    public static Vae create(VaeSpec spec) {
        MultiLayerNetwork net = new MultiLayerNetwork(configuration(spec));
        net.init();
        return new Vae(net, spec);
    }

    /**
     * The VAE of {@code spec} with these parameters (a [1, n] float row, used as the network's own, not copied): how a
     * model crosses to another JVM without DL4J's model zip and its JSON parse.
     */
    public static Vae withParameters(VaeSpec spec, INDArray parameters) {
        if (parameters.length() != spec.parameterCount()) {
            throw new IllegalArgumentException(parameters.length() + " parameters for a VAE of " + spec.parameterCount());
        }
        MultiLayerNetwork net = new MultiLayerNetwork(configuration(spec));
        net.init(parameters, false);
        return new Vae(net, spec);
    }

    /** The network configuration of {@code spec}: the only one {@link VaeStore} accepts in a model file. */
    static MultiLayerConfiguration configuration(VaeSpec spec) {
        IUpdater updater = "adam".equals(spec.optimizer()) ? new Adam(spec.learningRate()) : new AdaGrad(spec.learningRate());
        return new NeuralNetConfiguration.Builder()
                .seed(spec.seed())
                .dataType(DataType.FLOAT)
                .updater(updater)
                .trainingWorkspaceMode(WorkspaceMode.ENABLED)
                .inferenceWorkspaceMode(WorkspaceMode.ENABLED)
                .list()
                .layer(new VaeLayer(spec))
                .build();
    }

    /** Wraps a network built from a {@link VaeLayer} config (e.g. one returned by Spark training); reads its spec back. */
    public static Vae wrap(MultiLayerNetwork network) {
        if (network.getnLayers() != 1 || !(network.getLayerWiseConfigurations().getConf(0).getLayer() instanceof VaeLayer)) {
            throw new BadInputException("not a VAE network: expected exactly one VaeLayer, got "
                    + network.getLayerWiseConfigurations().getConfs().stream().map(c -> c.getLayer().getClass().getSimpleName()).toList());
        }
        NeuralNetConfiguration conf = network.getLayerWiseConfigurations().getConf(0);
        VaeLayer layer = (VaeLayer) conf.getLayer();
        IUpdater updater = layer.getIUpdater();
        String optimizer;
        double lr;
        if (updater instanceof Adam adam) {
            optimizer = "adam";
            lr = adam.getLearningRate();
        } else if (updater instanceof AdaGrad adaGrad) {
            optimizer = "adagrad";
            lr = adaGrad.getLearningRate();
        } else {
            throw new BadInputException("VAE network has an unsupported updater: " + updater);
        }
        VaeSpec spec = new VaeSpec((int) layer.getNIn(), Arrays.stream(layer.getHiddenSizes()).boxed().toList(),
                layer.getLatentSize(), layer.getHiddenActivation(), layer.getWeightInitScheme(), optimizer, lr, conf.getSeed());
        return new Vae(network, spec);
    }

    public MultiLayerNetwork network() {
        return network;
    }

    public VaeSpec spec() {
        return spec;
    }

    /** The DataSet the network is fit on: the images as features (and, for DL4J's plumbing, as labels too). */
    public static DataSet minibatch(INDArray features) {
        return new DataSet(features, features);
    }

    private VaeMath math() {
        if (math == null) {
            math = new VaeMath(new VaeParameterLayout(spec.inputSize(), spec.hiddenSizes().stream().mapToInt(i -> i).toArray(),
                    spec.latentSize()), "tanh".equals(spec.activation()));
        }
        return math;
    }

    private INDArray params() {
        return network.getLayer(0).getParam(VaeParamInitializer.PARAMS);
    }

    /**
     * The decoder's layers, latent side first: {@code spec().hiddenSizes().size()} hidden layers (the spec's
     * activation) then the pixel-logit layer (sigmoid gives {@link #decode}'s pixel means). Copies.
     */
    public java.util.List<DenseWeights> decoderLayers() {
        VaeParameterLayout layout = new VaeParameterLayout(spec.inputSize(),
                spec.hiddenSizes().stream().mapToInt(Integer::intValue).toArray(), spec.latentSize());
        float[] flat = params().toFloatVector();
        java.util.List<DenseWeights> layers = new java.util.ArrayList<>();
        for (int j = 0; j < layout.decoderWeights.length; j++) {
            layers.add(dense(flat, layout.decoderWeights[j], layout.decoderBiases[j]));
        }
        layers.add(dense(flat, layout.outputWeights, layout.outputBias));
        return layers;
    }

    /** Column-major [fan-in, fan-out] storage is already output-major: output j's weights are contiguous. */
    private static DenseWeights dense(float[] flat, VaeParameterLayout.Segment w, VaeParameterLayout.Segment b) {
        int wFrom = Math.toIntExact(w.offset());
        int bFrom = Math.toIntExact(b.offset());
        return new DenseWeights(w.rows(), w.cols(), Arrays.copyOfRange(flat, wFrom, wFrom + w.rows() * w.cols()),
                Arrays.copyOfRange(flat, bFrom, bFrom + b.cols()));
    }

    // ---------------------------------------------------------------------------------------------------------------

    /** q(z|x) for each row of x. */
    public Posterior encode(INDArray x) {
        requireImages(x, "x", spec.inputSize());
        int n = (int) x.size(0);
        INDArray mean = Nd4j.create(DataType.FLOAT, n, spec.latentSize());
        INDArray logVar = Nd4j.create(DataType.FLOAT, n, spec.latentSize());
        for (int from = 0; from < n; from += CHUNK_ROWS) {
            int to = Math.min(n, from + CHUNK_ROWS);
            math().encode(params(), rows(x, from, to));
            rows(mean, from, to).assign(math().mean());
            rows(logVar, from, to).assign(math().logVariance());
        }
        return new Posterior(mean, logVar);
    }

    /** Pixel means sigmoid(decoder(z)), [n, inputSize]. */
    public INDArray decode(INDArray z) {
        requireFloatMatrix(z, "z", spec.latentSize());
        requireFinite(z);
        int n = (int) z.size(0);
        INDArray out = Nd4j.create(DataType.FLOAT, n, spec.inputSize());
        for (int from = 0; from < n; from += CHUNK_ROWS) {
            int to = Math.min(n, from + CHUNK_ROWS);
            INDArray target = Nd4j.create(DataType.FLOAT, to - from, spec.inputSize());
            math().decodeMeans(params(), rows(z, from, to), target);
            rows(out, from, to).assign(target);
        }
        return out;
    }

    /**
     * Per-example ELBO terms, the reconstruction term averaged over {@code samples} draws of eps from one RNG seeded
     * with {@code seed} for the whole batch (same seed, same numbers).
     */
    public ElboTerms elbo(INDArray x, int samples, long seed) {
        return elbo(x, samples, () -> batchNoise(seed));
    }

    /**
     * Per-example ELBO terms as {@link #elbo(INDArray, int, long)}, but every row draws its eps from its own stream,
     * seeded with {@code rowSeeds[row]}: a row's noise does not depend on which other rows share the batch.
     */
    public ElboTerms elbo(INDArray x, int samples, long[] rowSeeds) {
        requireRowSeeds(x, rowSeeds);
        return elbo(x, samples, () -> rowNoise(rowSeeds));
    }

    private ElboTerms elbo(INDArray x, int samples, java.util.function.Supplier<Noise> noiseSource) {
        requireImages(x, "x", spec.inputSize());
        if (samples < 1) {
            throw new BadInputException("samples must be at least 1, got " + samples);
        }
        int n = (int) x.size(0);
        INDArray rec = Nd4j.zeros(DataType.FLOAT, n);
        INDArray kl = Nd4j.zeros(DataType.FLOAT, n);
        INDArray mean = Nd4j.create(DataType.FLOAT, n, spec.latentSize());
        INDArray logVar = Nd4j.create(DataType.FLOAT, n, spec.latentSize());
        try (Noise noise = noiseSource.get()) {
            for (int s = 0; s < samples; s++) {
                for (int from = 0; from < n; from += CHUNK_ROWS) {
                    int to = Math.min(n, from + CHUNK_ROWS);
                    noise.next(math().noiseBuffer(to - from, DataType.FLOAT), from, to - from, 1);
                    math().forward(params(), rows(x, from, to));
                    if (s == 0) {
                        rows(mean, from, to).assign(math().mean());
                        rows(logVar, from, to).assign(math().logVariance());
                    }
                    rec.get(NDArrayIndex.interval(from, to)).addi(math().reconstruction());
                    kl.get(NDArrayIndex.interval(from, to)).addi(math().kl());
                }
            }
        }
        return new ElboTerms(rec.divi(samples), kl.divi(samples), new Posterior(mean, logVar));
    }

    /**
     * Importance-sampled log p(x) per example with {@code k} samples from q(z|x):
     * log (1/k) sum_i p(x|z_i) p(z_i) / q(z_i|x), computed with log-sum-exp. A lower bound in expectation that tightens
     * towards log p(x) as k grows; k = 1 is the (single-sample) ELBO. One RNG seeded with {@code seed} draws the whole
     * batch's samples.
     */
    public INDArray logLikelihood(INDArray x, int k, long seed) {
        return logLikelihood(x, null, k, () -> batchNoise(seed));
    }

    /**
     * Importance-sampled log p(x) as {@link #logLikelihood(INDArray, int, long)}, every row drawing its samples from its
     * own stream seeded with {@code rowSeeds[row]}.
     *
     * @param q the rows' posterior when the caller has it already (e.g. from {@link #elbo}), else null
     */
    public INDArray logLikelihood(INDArray x, Posterior q, int k, long[] rowSeeds) {
        requireRowSeeds(x, rowSeeds);
        return logLikelihood(x, q, k, () -> rowNoise(rowSeeds));
    }

    private INDArray logLikelihood(INDArray x, Posterior posterior, int k, java.util.function.Supplier<Noise> noiseSource) {
        requireImages(x, "x", spec.inputSize());
        if (k < 1) {
            throw new BadInputException("k must be at least 1, got " + k);
        }
        int n = (int) x.size(0);
        int nz = spec.latentSize();
        Posterior q = posterior != null ? posterior : encode(x);
        if (q.mean().size(0) != n) {
            throw new IllegalArgumentException("posterior of " + q.mean().size(0) + " rows for " + n + " images");
        }
        // The latent side (z = mu + sigma eps and log p(z) - log q(z|x)) is a Java loop over [rows x nz]: cheaper than
        // the ~8 ND4J op calls and temporaries it replaces per block; the decoder side is VaeMath's.
        double[] mean = q.mean().dup('c').data().asDouble();
        double[] logVar = q.logVariance().dup('c').data().asDouble();
        // Block = whole images x (part of) their k samples, about IS_BLOCK_ROWS rows.
        int samplesPerBlock = Math.min(k, IS_BLOCK_ROWS);
        int imagesPerBlock = samplesPerBlock == k ? Math.max(1, IS_BLOCK_ROWS / k) : 1;
        double[] result = new double[n];
        try (Noise noise = noiseSource.get()) {
            INDArray logPxz = null;
            INDArray eps = null;
            INDArray z = null;
            for (int first = 0; first < n; first += imagesPerBlock) {
                int images = Math.min(imagesPerBlock, n - first);
                INDArray imageRows = rows(x, first, first + images);
                double[][] perImage = new double[images][k];
                for (int s0 = 0; s0 < k; s0 += samplesPerBlock) {
                    int samples = Math.min(samplesPerBlock, k - s0);
                    int rows = images * samples;
                    if (eps == null || eps.size(0) != rows) {
                        eps = Nd4j.create(DataType.FLOAT, rows, nz);
                        z = Nd4j.create(DataType.FLOAT, rows, nz);
                        logPxz = Nd4j.create(DataType.FLOAT, rows);
                    }
                    float[] e = noise.next(eps, first, images, samples);
                    float[] zs = new float[e.length];
                    double[] latentTerm = new double[rows];
                    for (int a = 0; a < images; a++) {
                        int base = (first + a) * nz;
                        double halfLogDet = 0;
                        double[] sigma = new double[nz];
                        for (int j = 0; j < nz; j++) {
                            halfLogDet += 0.5 * logVar[base + j];
                            sigma[j] = Math.exp(0.5 * logVar[base + j]);
                        }
                        for (int s = 0; s < samples; s++) {
                            int r = a * samples + s;
                            // log p(z) - log q(z|x) = -1/2 |z|^2 + 1/2 |eps|^2 + 1/2 sum log sigma^2 (2 pi terms cancel)
                            double acc = halfLogDet;
                            for (int j = 0; j < nz; j++) {
                                double ej = e[r * nz + j];
                                double zj = mean[base + j] + sigma[j] * ej;
                                zs[r * nz + j] = (float) zj;
                                acc += 0.5 * (ej * ej - zj * zj);
                            }
                            latentTerm[r] = acc;
                        }
                    }
                    z.data().asNioFloat().put(zs);
                    math().bernoulliLogLikelihood(params(), z, imageRows, samples, logPxz);
                    float[] lpxz = logPxz.data().asFloat();
                    for (int a = 0; a < images; a++) {
                        for (int s = 0; s < samples; s++) {
                            int r = a * samples + s;
                            perImage[a][s0 + s] = lpxz[r] + latentTerm[r];
                        }
                    }
                }
                for (int a = 0; a < images; a++) {
                    result[first + a] = logMeanExp(perImage[a]);
                }
            }
        }
        return Nd4j.createFromArray(result).castTo(DataType.FLOAT);
    }

    /** Where eps comes from: one ND4J stream for the whole batch, or one stream per row. */
    private interface Noise extends AutoCloseable {
        /**
         * Fills {@code eps} [images x samples, nz] with the next draws for rows {@code first .. first + images - 1} of the
         * batch ({@code samples} consecutive rows of eps per image) and returns its values.
         */
        float[] next(INDArray eps, int first, int images, int samples);

        @Override
        void close();
    }

    private static Noise batchNoise(long seed) {
        Random rng = Nd4j.getRandomFactory().getNewRandomInstance(seed);
        return new Noise() {
            @Override
            public float[] next(INDArray eps, int first, int images, int samples) {
                Nd4j.getExecutioner().exec(new GaussianDistribution(eps, 0.0, 1.0), rng);
                return eps.data().asFloat();
            }

            @Override
            public void close() {
                try {
                    rng.close();
                } catch (Exception e) {
                    throw rethrow(e);
                }
            }
        };
    }

    /** One Java stream per row (SplittableRandom: cheap to create, and the same numbers on every JVM). */
    private Noise rowNoise(long[] rowSeeds) {
        java.util.SplittableRandom[] streams = new java.util.SplittableRandom[rowSeeds.length];
        int nz = spec.latentSize();
        return new Noise() {
            @Override
            public float[] next(INDArray eps, int first, int images, int samples) {
                float[] e = new float[images * samples * nz];
                for (int a = 0; a < images; a++) {
                    if (streams[first + a] == null) {
                        streams[first + a] = new java.util.SplittableRandom(rowSeeds[first + a]);
                    }
                    java.util.SplittableRandom g = streams[first + a];
                    for (int i = a * samples * nz; i < (a + 1) * samples * nz; i++) {
                        e[i] = (float) g.nextGaussian();
                    }
                }
                eps.data().setData(e);
                return e;
            }

            @Override
            public void close() {
                // nothing native to release
            }
        };
    }

    private static void requireRowSeeds(INDArray x, long[] rowSeeds) {
        if (x != null && rowSeeds.length != x.size(0)) {
            throw new IllegalArgumentException(rowSeeds.length + " row seeds for " + x.size(0) + " rows");
        }
    }

    private static double logMeanExp(double[] v) {
        double max = Double.NEGATIVE_INFINITY;
        for (double d : v) {
            max = Math.max(max, d);
        }
        double sum = 0;
        for (double d : v) {
            sum += Math.exp(d - max);
        }
        return max + Math.log(sum / v.length);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Input checks

    private static INDArray rows(INDArray a, int from, int to) {
        return a.get(NDArrayIndex.interval(from, to), NDArrayIndex.all());
    }

    private static void requireFloatMatrix(INDArray a, String name, long columns) {
        if (a == null) {
            throw new BadInputException(name + " is missing");
        }
        if (a.dataType() != DataType.FLOAT) {
            throw new BadInputException(name + " must be FLOAT, got " + a.dataType());
        }
        if (a.rank() != 2 || a.size(1) != columns || a.size(0) == 0) {
            throw new BadInputException(name + " must be [n > 0, " + columns + "], got " + Arrays.toString(a.shape()));
        }
    }

    /** FLOAT [n, inputSize], finite and in [0, 1]. */
    static void requireImages(INDArray x, String name, int inputSize) {
        requireFloatMatrix(x, name, inputSize);
        requireFinite(x);
        double min = x.minNumber().doubleValue();
        double max = x.maxNumber().doubleValue();
        if (min < 0 || max > 1) {
            throw new BadInputException(name + " must hold pixel intensities in [0, 1], got values in [" + min + ", " + max + "]");
        }
    }

    /** Refuses NaN/Inf with one reduction on the good path; names the first bad row otherwise. */
    static void requireFinite(INDArray x) {
        double sum = x.sumNumber().doubleValue();
        if (Double.isFinite(sum)) {
            return;
        }
        for (long r = 0; r < x.size(0); r++) {
            for (double v : x.getRow(r).toDoubleVector()) {
                if (!Double.isFinite(v)) {
                    throw new BadInputException("input contains NaN/Inf at row " + r);
                }
            }
        }
        throw new BadInputException("input values are too large (their sum overflows)");
    }

    private static RuntimeException rethrow(Exception e) {
        return e instanceof RuntimeException re ? re : new IllegalStateException(e);
    }

}

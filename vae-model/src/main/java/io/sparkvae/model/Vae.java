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
        IUpdater updater = "adam".equals(spec.optimizer()) ? new Adam(spec.learningRate()) : new AdaGrad(spec.learningRate());
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(spec.seed())
                .dataType(DataType.FLOAT)
                .updater(updater)
                .trainingWorkspaceMode(WorkspaceMode.ENABLED)
                .inferenceWorkspaceMode(WorkspaceMode.ENABLED)
                .list()
                .layer(new VaeLayer(spec))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return new Vae(net, spec);
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
     * Per-example ELBO terms, the reconstruction term averaged over {@code samples} draws of eps from an RNG seeded
     * with {@code seed} (same seed, same numbers).
     */
    public ElboTerms elbo(INDArray x, int samples, long seed) {
        requireImages(x, "x", spec.inputSize());
        if (samples < 1) {
            throw new BadInputException("samples must be at least 1, got " + samples);
        }
        int n = (int) x.size(0);
        INDArray rec = Nd4j.zeros(DataType.FLOAT, n);
        INDArray kl = Nd4j.zeros(DataType.FLOAT, n);
        try (Random rng = Nd4j.getRandomFactory().getNewRandomInstance(seed)) {
            for (int s = 0; s < samples; s++) {
                for (int from = 0; from < n; from += CHUNK_ROWS) {
                    int to = Math.min(n, from + CHUNK_ROWS);
                    INDArray eps = math().noiseBuffer(to - from, DataType.FLOAT);
                    Nd4j.getExecutioner().exec(new GaussianDistribution(eps, 0.0, 1.0), rng);
                    math().forward(params(), rows(x, from, to));
                    rec.get(NDArrayIndex.interval(from, to)).addi(math().reconstruction());
                    kl.get(NDArrayIndex.interval(from, to)).addi(math().kl());
                }
            }
        } catch (Exception e) {
            throw rethrow(e);
        }
        return new ElboTerms(rec.divi(samples), kl.divi(samples));
    }

    /**
     * Importance-sampled log p(x) per example with {@code k} samples from q(z|x):
     * log (1/k) sum_i p(x|z_i) p(z_i) / q(z_i|x), computed with log-sum-exp. A lower bound in expectation that tightens
     * towards log p(x) as k grows; k = 1 is the (single-sample) ELBO.
     */
    public INDArray logLikelihood(INDArray x, int k, long seed) {
        requireImages(x, "x", spec.inputSize());
        if (k < 1) {
            throw new BadInputException("k must be at least 1, got " + k);
        }
        int n = (int) x.size(0);
        int nz = spec.latentSize();
        Posterior q = encode(x);
        // The latent side (z = mu + sigma eps and log p(z) - log q(z|x)) is a Java loop over [rows x nz]: cheaper than
        // the ~8 ND4J op calls and temporaries it replaces per block; the decoder side is VaeMath's.
        double[] mean = q.mean().data().asDouble();
        double[] logVar = q.logVariance().data().asDouble();
        // Block = whole images x (part of) their k samples, about IS_BLOCK_ROWS rows.
        int samplesPerBlock = Math.min(k, IS_BLOCK_ROWS);
        int imagesPerBlock = samplesPerBlock == k ? Math.max(1, IS_BLOCK_ROWS / k) : 1;
        double[] result = new double[n];
        try (Random rng = Nd4j.getRandomFactory().getNewRandomInstance(seed)) {
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
                    Nd4j.getExecutioner().exec(new GaussianDistribution(eps, 0.0, 1.0), rng);
                    float[] e = eps.data().asFloat();
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
        } catch (Exception e) {
            throw rethrow(e);
        }
        return Nd4j.createFromArray(result).castTo(DataType.FLOAT);
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

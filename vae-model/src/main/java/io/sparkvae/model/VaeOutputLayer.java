package io.sparkvae.model;

import java.util.List;
import org.deeplearning4j.nn.api.layers.IOutputLayer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Sigmoid;
import org.nd4j.linalg.api.ops.random.impl.GaussianDistribution;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The runtime VAE layer: DL4J glue around {@link VaeMath}. Its score is the minibatch mean of the per-image -ELBO
 * (nats per image); its gradient is written straight into the network's flat gradient view.
 *
 * <p>Noise: each training forward pass draws eps ~ N(0, I) from {@code Nd4j.getRandom()}, ND4J's thread-local RNG,
 * so a run is reproducible when that RNG is seeded (the Spark stage reseeds it per worker and partition).
 * {@code output()} uses the posterior mean and draws nothing. The input must already be in [0, 1]; labels are ignored
 * (see {@link Vae#minibatch}).
 */
public class VaeOutputLayer extends BaseLayer<VaeLayer> implements IOutputLayer {

    private transient VaeMath math;
    private INDArray labels;
    /** Score of the last backprop pass, which computeScore(training=true) returns instead of a second forward pass. */
    private double lastTrainingScore = Double.NaN;
    private boolean trainingScoreFresh;

    public VaeOutputLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    private VaeMath math() {
        if (math == null) {
            math = new VaeMath(layerConf().parameterLayout(), "tanh".equals(layerConf().getHiddenActivation()));
        }
        return math;
    }

    private INDArray paramsArray() {
        return getParam(VaeParamInitializer.PARAMS);
    }

    /** The input cast to the parameters' precision, after refusing NaN/Inf (one reduction). */
    private INDArray checkedInput() {
        assertInputSet(true);
        if (input.rank() != 2 || input.size(1) != layerConf().getNIn()) {
            throw new io.sparkvae.io.BadInputException("VAE input must be [n, " + layerConf().getNIn() + "], got "
                    + java.util.Arrays.toString(input.shape()));
        }
        Vae.requireFinite(input);
        return input.dataType() == paramsArray().dataType() ? input : input.castTo(paramsArray().dataType());
    }

    private void drawNoise(int rows) {
        INDArray eps = math().noiseBuffer(rows, paramsArray().dataType());
        Nd4j.getExecutioner().exec(new GaussianDistribution(eps, 0.0, 1.0), Nd4j.getRandom());
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        INDArray x = checkedInput();
        int rows = (int) x.size(0);
        drawNoise(rows);
        double sum = math().forwardBackward(paramsArray(), x, gradientsFlattened, 1.0 / rows);
        lastTrainingScore = sum / rows;
        trainingScoreFresh = true;
        score = lastTrainingScore;
        Gradient g = new DefaultGradient();
        g.gradientForVariable().put(VaeParamInitializer.PARAMS, gradientViews.get(VaeParamInitializer.PARAMS));
        // No gradient w.r.t. the input: this is the network's only layer.
        return new Pair<>(g, null);
    }

    @Override
    public double computeScore(double fullNetRegTerm, boolean training, LayerWorkspaceMgr workspaceMgr) {
        if (training && trainingScoreFresh) {
            trainingScoreFresh = false;
            score = lastTrainingScore + fullNetRegTerm;
            return score;
        }
        INDArray x = checkedInput();
        drawNoise((int) x.size(0));
        score = math().forward(paramsArray(), x) / x.size(0) + fullNetRegTerm;
        return score;
    }

    @Override
    public INDArray computeScoreForExamples(double fullNetRegTerm, LayerWorkspaceMgr workspaceMgr) {
        INDArray x = checkedInput();
        drawNoise((int) x.size(0));
        math().forward(paramsArray(), x);
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, paramsArray().dataType(), x.size(0), 1);
        out.assign(math().reconstruction().add(math().kl()).reshape(x.size(0), 1)).addi(fullNetRegTerm);
        return out;
    }

    @Override
    public void computeGradientAndScore(LayerWorkspaceMgr workspaceMgr) {
        Pair<Gradient, INDArray> p = backpropGradient(null, workspaceMgr);
        gradient = p.getFirst();
        computeScore(0.0, true, workspaceMgr);
    }

    /** Reconstruction pixel means from the posterior mean: sigmoid(decoder(mu(x))). */
    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        INDArray x = checkedInput();
        VaeMath m = math();
        m.encode(paramsArray(), x);
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, paramsArray().dataType(), x.size(0),
                layerConf().getNOut());
        m.decodeMeans(paramsArray(), m.mean(), out);
        return out;
    }

    /** The gradient is already the minibatch mean (scaled inside the gemms), so the updater must not divide again. */
    @Override
    public boolean updaterDivideByMinibatch(String paramName) {
        return false;
    }

    @Override
    public boolean needsLabels() {
        return false;
    }

    @Override
    public void setLabels(INDArray labels) {
        this.labels = labels;
    }

    @Override
    public INDArray getLabels() {
        return labels;
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    @Override
    public void clear() {
        super.clear();
        labels = null;
        trainingScoreFresh = false;
    }

    @Override
    public void fit(INDArray input, LayerWorkspaceMgr workspaceMgr) {
        throw new UnsupportedOperationException("train the VAE through MultiLayerNetwork.fit");
    }

    // Classifier methods: a VAE is not a classifier.

    @Override
    public double f1Score(DataSet data) {
        throw new UnsupportedOperationException("a VAE is not a classifier");
    }

    @Override
    public double f1Score(INDArray examples, INDArray labels) {
        throw new UnsupportedOperationException("a VAE is not a classifier");
    }

    @Override
    public int numLabels() {
        return (int) layerConf().getNOut();
    }

    @Override
    public void fit(DataSetIterator iter) {
        throw new UnsupportedOperationException("train the VAE through MultiLayerNetwork.fit");
    }

    @Override
    public int[] predict(INDArray examples) {
        throw new UnsupportedOperationException("a VAE is not a classifier");
    }

    @Override
    public List<String> predict(DataSet dataSet) {
        throw new UnsupportedOperationException("a VAE is not a classifier");
    }

    @Override
    public void fit(INDArray examples, INDArray labels) {
        throw new UnsupportedOperationException("train the VAE through MultiLayerNetwork.fit");
    }

    @Override
    public void fit(DataSet data) {
        throw new UnsupportedOperationException("train the VAE through MultiLayerNetwork.fit");
    }

    @Override
    public void fit(INDArray examples, int[] labels) {
        throw new UnsupportedOperationException("train the VAE through MultiLayerNetwork.fit");
    }
}

package io.sparkvae.model;

import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.regularization.Regularization;

/**
 * DL4J configuration of the whole VAE (encoder, sampling, decoder and the -ELBO loss) as ONE output layer.
 *
 * <p>Why one hand-written layer rather than the alternatives (measured on the 2-core benchmark machine,
 * docs/BENCHMARKS.md, "Model"):
 * <ul>
 *   <li>DL4J's built-in {@code VariationalAutoencoder} is a pretrain layer: {@code MultiLayerNetwork.fit}, all that
 *       parameter averaging's workers call, refuses it. Trained with {@code pretrainLayer} in the same loop as
 *       ours, batch for batch, it was 1.4-1.8x slower in all 15 benchmark configurations, and it learns no faster
 *       (docs/BENCHMARKS.md, model quality: -ELBO ~129/117/113 after epochs 1-3; ours 125.0/115.6/112.0). This layer is an
 *       {@code IOutputLayer}, so plain {@code fit(DataSet)} minimises the -ELBO, and its parameters and Adam state
 *       are the network's ordinary flat views, which parameter averaging averages and carries across rounds.</li>
 *   <li>Dense/Output layers around a small reparameterising layer would pay DL4J's per-layer workspace and
 *       bookkeeping five times per step, compute the input gradient of the first layer, and still need custom code
 *       for the KL term. Here each affine map is one fused libnd4j op, latent-sized math is a Java loop, every
 *       buffer is reused, and the forward+backward pass measured 91% gemm time (see {@link VaeMath}).</li>
 *   <li>A SameDiff layer (tried earlier) ran at about 10k images/s without learning; the hand-written
 *       backward pass here is gradient-checked in double precision instead.</li>
 * </ul>
 *
 * <p>{@code nIn == nOut == inputSize}: the input is the image and {@code output()} is the reconstruction's pixel means
 * from the posterior mean (no sampling at inference). Jackson (de)serialises it through the no-arg constructor and
 * the getters/setters, so it survives {@code MultiLayerConfiguration.toJson/fromJson} and {@code ModelSerializer} on
 * every Spark worker.
 */
public class VaeLayer extends FeedForwardLayer {

    private int[] hiddenSizes = new int[0];
    private int latentSize;
    private String hiddenActivation = "relu";
    private String weightInitScheme = "xavier";

    /** For Jackson. */
    public VaeLayer() {
        this.regularization = Collections.emptyList();
        this.regularizationBias = Collections.emptyList();
    }

    public VaeLayer(VaeSpec spec) {
        this();
        this.nIn = spec.inputSize();
        this.nOut = spec.inputSize();
        this.hiddenSizes = spec.hiddenSizes().stream().mapToInt(Integer::intValue).toArray();
        this.latentSize = spec.latentSize();
        this.hiddenActivation = spec.activation();
        this.weightInitScheme = spec.weightInit();
        this.layerName = "vae";
    }

    public int[] getHiddenSizes() {
        return hiddenSizes.clone();
    }

    public void setHiddenSizes(int[] hiddenSizes) {
        this.hiddenSizes = hiddenSizes.clone();
    }

    public int getLatentSize() {
        return latentSize;
    }

    public void setLatentSize(int latentSize) {
        this.latentSize = latentSize;
    }

    public String getHiddenActivation() {
        return hiddenActivation;
    }

    public void setHiddenActivation(String hiddenActivation) {
        this.hiddenActivation = hiddenActivation;
    }

    public String getWeightInitScheme() {
        return weightInitScheme;
    }

    public void setWeightInitScheme(String weightInitScheme) {
        this.weightInitScheme = weightInitScheme;
    }

    VaeParameterLayout parameterLayout() {
        return new VaeParameterLayout((int) nIn, hiddenSizes, latentSize);
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
            Collection<TrainingListener> trainingListeners, int layerIndex, INDArray layerParamsView,
            boolean initializeParams, DataType networkDataType) {
        VaeOutputLayer layer = new VaeOutputLayer(conf, networkDataType);
        layer.setListeners(trainingListeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(layerParamsView);
        Map<String, INDArray> paramTable = initializer().init(conf, layerParamsView, initializeParams);
        layer.setParamTable(paramTable);
        layer.setConf(conf);
        return layer;
    }

    @Override
    public ParamInitializer initializer() {
        return VaeParamInitializer.INSTANCE;
    }

    /**
     * The configured updater, except that Adam runs as {@link FusedAdam} (same rule and state, a faster loop). The
     * configuration itself keeps the plain {@code Adam}, so JSON, saved models and Spark broadcasts are unchanged.
     */
    @Override
    public IUpdater getUpdaterByParam(String paramName) {
        IUpdater configured = super.getUpdaterByParam(paramName);
        return configured != null && configured.getClass() == Adam.class ? new FusedAdam((Adam) configured) : configured;
    }

    @Override
    public List<Regularization> getRegularizationByParam(String paramName) {
        return Collections.emptyList(); // the objective is the -ELBO alone
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        long numParams = initializer().numParams(this);
        long updaterState = getIUpdater() == null ? 0 : getIUpdater().stateSize(numParams);
        long perExample = 4L * nIn + 2L * Arrays.stream(hiddenSizes).asLongStream().sum() * 2 + 9L * latentSize;
        return new LayerMemoryReport.Builder(layerName, VaeLayer.class, inputType, getOutputType(-1, inputType))
                .standardMemory(numParams, updaterState)
                .workingMemory(0, perExample, 0, perExample)
                .cacheMemory(MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.CACHE_MODE_ALL_ZEROS)
                .build();
    }

    @Override
    public VaeLayer clone() {
        VaeLayer c = (VaeLayer) super.clone();
        c.hiddenSizes = hiddenSizes.clone();
        return c;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof VaeLayer other) || !super.equals(o)) {
            return false;
        }
        return Arrays.equals(hiddenSizes, other.hiddenSizes) && latentSize == other.latentSize
                && hiddenActivation.equals(other.hiddenActivation) && weightInitScheme.equals(other.weightInitScheme);
    }

    @Override
    public int hashCode() {
        return 31 * super.hashCode() + Arrays.hashCode(hiddenSizes) * 7 + latentSize;
    }

    @Override
    public String toString() {
        return "VaeLayer(nIn=" + nIn + ", hidden=" + Arrays.toString(hiddenSizes) + ", latent=" + latentSize + ", "
                + hiddenActivation + ", " + weightInitScheme + ", updater=" + iUpdater + ")";
    }
}

package io.sparkvae.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.random.impl.GaussianDistribution;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Declares the VAE's parameters to DL4J as ONE flat array ({@link #PARAMS}) laid out by {@link VaeParameterLayout},
 * and initialises it from ND4J's RNG (which {@code MultiLayerNetwork.init()} seeds with the configuration's seed).
 *
 * <p>One key means one updater block: Adam/AdaGrad state is a single view the size of the parameters, which is exactly
 * what parameter averaging averages.
 */
public final class VaeParamInitializer implements ParamInitializer {

    /** The one parameter key. */
    public static final String PARAMS = "vae";

    static final VaeParamInitializer INSTANCE = new VaeParamInitializer();

    private VaeParamInitializer() {
    }

    @Override
    public long numParams(NeuralNetConfiguration conf) {
        return numParams(conf.getLayer());
    }

    @Override
    public long numParams(Layer layer) {
        return ((VaeLayer) layer).parameterLayout().numParams;
    }

    @Override
    public List<String> paramKeys(Layer layer) {
        return List.of(PARAMS);
    }

    @Override
    public List<String> weightKeys(Layer layer) {
        return List.of(PARAMS);
    }

    @Override
    public List<String> biasKeys(Layer layer) {
        return Collections.emptyList();
    }

    @Override
    public boolean isWeightParam(Layer layer, String key) {
        return PARAMS.equals(key);
    }

    @Override
    public boolean isBiasParam(Layer layer, String key) {
        return false;
    }

    @Override
    public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray paramsView, boolean initializeParams) {
        VaeLayer layer = (VaeLayer) conf.getLayer();
        VaeParameterLayout layout = layer.parameterLayout();
        if (paramsView.length() != layout.numParams) {
            throw new IllegalArgumentException("expected " + layout.numParams + " parameters, got " + paramsView.length());
        }
        if (initializeParams) {
            boolean xavier = "xavier".equals(layer.getWeightInitScheme());
            for (VaeParameterLayout.Segment s : layout.all) {
                INDArray view = s.view(paramsView);
                if (xavier) {
                    // Glorot normal for weights (variance 2 / (fanIn + fanOut)), zero biases: learns faster here than
                    // the paper's N(0, 0.01^2) (docs/DESIGN.md: ~129 vs ~160 nats after one MNIST epoch).
                    if (s.bias()) {
                        view.assign(0.0);
                    } else {
                        normal(view, Math.sqrt(2.0 / (s.rows() + s.cols())));
                    }
                } else {
                    normal(view, 0.01);
                }
            }
        }
        Map<String, INDArray> table = new LinkedHashMap<>();
        table.put(PARAMS, paramsView);
        return table;
    }

    private static void normal(INDArray view, double std) {
        Nd4j.getExecutioner().exec(new GaussianDistribution(view, 0.0, std), Nd4j.getRandom());
    }

    @Override
    public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray gradientView) {
        Map<String, INDArray> table = new LinkedHashMap<>();
        table.put(PARAMS, gradientView);
        return table;
    }
}

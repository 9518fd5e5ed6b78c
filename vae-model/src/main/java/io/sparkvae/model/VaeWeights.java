package io.sparkvae.model;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A VAE's affine maps as plain arrays, in the order the network applies them: for tools that rebuild the network
 * elsewhere (the ONNX exporter). The maps compute {@code y = x W + b} for a row vector x, exactly as {@link VaeMath}
 * does, and every hidden layer applies {@link #activation()} to y.
 *
 * @param activation     {@code relu} or {@code tanh}, after every hidden layer
 * @param encoderHidden  the encoder's hidden layers, input side first
 * @param head           the posterior's head: [top hidden, 2 nz], the mean in columns 0..nz-1, the log-variance after
 * @param decoderHidden  the decoder's hidden layers, latent side first
 * @param output         the pixel logits, [last decoder hidden, D]; the Bernoulli means are their sigmoid
 */
public record VaeWeights(String activation, List<Affine> encoderHidden, Affine head, List<Affine> decoderHidden, Affine output) {

    public VaeWeights {
        encoderHidden = List.copyOf(encoderHidden);
        decoderHidden = List.copyOf(decoderHidden);
    }

    /**
     * One affine map.
     *
     * @param name    where it sits in the network ({@code encoder0}, {@code head}, {@code decoder0}, {@code output})
     * @param inputs  rows of W
     * @param outputs columns of W, length of b
     * @param weights W in row-major order, {@code inputs * outputs} values
     * @param bias    b
     */
    public record Affine(String name, int inputs, int outputs, float[] weights, float[] bias) {
        public Affine {
            if (weights.length != (long) inputs * outputs || bias.length != outputs) {
                throw new IllegalArgumentException(name + ": " + weights.length + " weights and " + bias.length
                        + " biases for a " + inputs + "x" + outputs + " map");
            }
        }
    }

    /** The latent size nz (half the head's width). */
    public int latentSize() {
        return head.outputs() / 2;
    }

    /** The image size D. */
    public int inputSize() {
        return output.outputs();
    }

    /** A copy of {@code vae}'s current parameters. */
    public static VaeWeights of(Vae vae) {
        VaeSpec spec = vae.spec();
        int[] hidden = spec.hiddenSizes().stream().mapToInt(Integer::intValue).toArray();
        VaeParameterLayout layout = new VaeParameterLayout(spec.inputSize(), hidden, spec.latentSize());
        INDArray params = vae.network().getLayer(0).getParam(VaeParamInitializer.PARAMS);
        List<Affine> encoder = new ArrayList<>();
        List<Affine> decoder = new ArrayList<>();
        for (int i = 0; i < hidden.length; i++) {
            encoder.add(affine("encoder" + i, layout.encoderWeights[i], layout.encoderBiases[i], params));
            decoder.add(affine("decoder" + i, layout.decoderWeights[i], layout.decoderBiases[i], params));
        }
        return new VaeWeights(spec.activation(), encoder, affine("head", layout.headWeights, layout.headBias, params), decoder,
                affine("output", layout.outputWeights, layout.outputBias, params));
    }

    private static Affine affine(String name, VaeParameterLayout.Segment w, VaeParameterLayout.Segment b, INDArray params) {
        float[] weights = w.view(params).dup('c').data().asFloat();
        float[] bias = b.view(params).dup('c').data().asFloat();
        return new Affine(name, w.rows(), w.cols(), weights, bias);
    }
}

package io.sparkvae.onnx;

import io.sparkvae.model.VaeWeights;
import java.util.List;
import java.util.Map;
import onnx.Onnx.ModelProto;

/**
 * A VAE's encoder and decoder as two ONNX models, computing what {@code Vae.encode} and {@code Vae.decode} compute:
 * the same affine maps (Gemm), the same hidden activation, the posterior head split into mean and log-variance, the
 * decoder's pixel logits through a sigmoid.
 */
public final class VaeOnnx {
    /** The encoder's input: images, [N, D] HWC floats in [0, 1]. */
    public static final String PIXELS = "pixels";
    /** The encoder's outputs, [N, nz] each. */
    public static final String LATENT_MEAN = "latent_mean";
    public static final String LATENT_LOG_VAR = "latent_log_var";
    /** The decoder's input, [N, nz]. */
    public static final String Z = "z";
    /** The decoder's output: the Bernoulli means, [N, D] (named like the encoder's input: it is an image). */
    public static final String DECODED = "pixels";

    private VaeOnnx() {}

    /** The operator set the graphs need. */
    public static int opset() {
        return OnnxGraph.OPSET;
    }

    /** The encoder, x -> (mean, log-variance) of q(z|x). */
    public static ModelProto encoder(VaeWeights w, String producerVersion, Map<String, String> metadata) {
        OnnxGraph g = new OnnxGraph("vae_encoder").input(PIXELS, w.inputSize());
        String top = hidden(g, PIXELS, w.encoderHidden(), w.activation());
        VaeWeights.Affine head = w.head();
        int nz = w.latentSize();
        g.weights(head.name() + ".W", head.weights(), head.inputs(), head.outputs())
                .weights(head.name() + ".b", head.bias(), head.outputs())
                .gemm(top, head.name() + ".W", head.name() + ".b", "head")
                .longs("head.split", nz, nz)
                .splitColumns("head", "head.split", LATENT_MEAN, LATENT_LOG_VAR)
                .output(LATENT_MEAN, nz).output(LATENT_LOG_VAR, nz);
        return g.model(producerVersion, "q(z|x) of a VAE: pixels [N, " + w.inputSize() + "] HWC in [0, 1] -> latent_mean and "
                + "latent_log_var [N, " + nz + "]", metadata);
    }

    /** The decoder, z -> the Bernoulli means sigmoid(logits) of p(x|z). */
    public static ModelProto decoder(VaeWeights w, String producerVersion, Map<String, String> metadata) {
        OnnxGraph g = new OnnxGraph("vae_decoder").input(Z, w.latentSize());
        String top = hidden(g, Z, w.decoderHidden(), w.activation());
        VaeWeights.Affine out = w.output();
        g.weights(out.name() + ".W", out.weights(), out.inputs(), out.outputs())
                .weights(out.name() + ".b", out.bias(), out.outputs())
                .gemm(top, out.name() + ".W", out.name() + ".b", "logits")
                .unary("Sigmoid", "logits", DECODED)
                .output(DECODED, w.inputSize());
        return g.model(producerVersion, "p(x|z) of a VAE: z [N, " + w.latentSize() + "] -> pixels [N, " + w.inputSize()
                + "], the Bernoulli means in [0, 1], HWC", metadata);
    }

    /** Adds the hidden layers after {@code in}; returns the name of the last one's output. */
    private static String hidden(OnnxGraph g, String in, List<VaeWeights.Affine> layers, String activation) {
        String op = switch (activation) {
            case "relu" -> "Relu";
            case "tanh" -> "Tanh";
            default -> throw new IllegalArgumentException("no ONNX operator for activation " + activation);
        };
        String h = in;
        for (VaeWeights.Affine a : layers) {
            g.weights(a.name() + ".W", a.weights(), a.inputs(), a.outputs())
                    .weights(a.name() + ".b", a.bias(), a.outputs())
                    .gemm(h, a.name() + ".W", a.name() + ".b", a.name() + ".affine")
                    .unary(op, a.name() + ".affine", a.name() + ".out");
            h = a.name() + ".out";
        }
        return h;
    }
}

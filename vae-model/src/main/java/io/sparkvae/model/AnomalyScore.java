package io.sparkvae.model;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The per-row anomaly scores (higher: more unusual), each owning its config key, default column, one-sentence meaning
 * and source. The scoring path ({@code io.sparkvae.scoring.BlockScorer}) computes them; {@code VaeModel} and
 * {@code vae encode} write them as columns, and render's outliers and encode's summary rank by one of them
 * ({@code scores.rank-by}).
 */
public enum AnomalyScore {
    NEG_ELBO("neg-elbo", "neg_elbo", "negElboCol",
            "-ELBO in nats: the model's bound on -log p(x); ranks how complex an image is as much as how unusual",
            "Kingma and Welling 2014; its failure as an OOD score: Nalisnick et al. 2019"),
    BIAS_CORRECTED("bias-corrected", "neg_elbo_bias_corrected", "biasCorrectedCol",
            "-ELBO minus the sum over pixels of the Bernoulli entropy H(x_i) of each pixel value (the least any "
                    + "Bernoulli decoder can pay for that image): what the model pays beyond the image's own cost",
            "Chauhan et al. 2022, bias-corrected likelihood"),
    COMPLEXITY_CORRECTED("complexity-corrected", "neg_elbo_minus_png", "complexityCorrectedCol",
            "-ELBO minus the image's length as a PNG at 8 bits per channel, in nats (a generic compressor's "
                    + "estimate of its complexity)",
            "Serra et al. 2020, input complexity"),
    REGION_SURPRISE("region-surprise", "region_surprise", "regionSurpriseCol",
            "the largest total, over any 4x4 window of pixels, of the per-value excess KL(Bern(x_i) || Bern(p_i)) of "
                    + "the reconstruction p at E[z|x]: finds a small region the model cannot explain, which a sum over "
                    + "every pixel dilutes",
            "this project (a region-level variant of Chauhan et al. 2022's per-pixel correction)"),
    COLOUR_SURPRISE("colour-surprise", "colour_surprise", "colourSurpriseCol",
            "the largest total, over the pixels of any one colour of the image (its exact 8-bit values), of the same "
                    + "per-value excess KL(Bern(x_i) || Bern(p_i)): a colour the model cannot draw where it is",
            "this project (the model-based counterpart of a colour's rarity)");

    private final String key;
    private final String column;
    private final String param;
    private final String meaning;
    private final String source;

    AnomalyScore(String key, String column, String param, String meaning, String source) {
        this.key = key;
        this.column = column;
        this.param = param;
        this.meaning = meaning;
        this.source = source;
    }

    /** The name in config keys ({@code scores.<key>}, {@code scores.rank-by = <key>}). */
    public String key() {
        return key;
    }

    /** The default output column. */
    public String column() {
        return column;
    }

    /** The name of {@code VaeModel}'s column Param. */
    public String param() {
        return param;
    }

    /** What it measures, in one sentence. */
    public String meaning() {
        return meaning;
    }

    /** Where it comes from. */
    public String source() {
        return source;
    }

    /** Whether computing it needs the decoder's means at E[z|x]. */
    public boolean needsReconstruction() {
        return this == REGION_SURPRISE || this == COLOUR_SURPRISE;
    }

    /** The scores beyond the -ELBO, which can be switched off. */
    public static Set<AnomalyScore> optional() {
        return EnumSet.complementOf(EnumSet.of(NEG_ELBO));
    }

    /** The score with config key {@code key}, or null. */
    public static AnomalyScore byKey(String key) {
        return Arrays.stream(values()).filter(s -> s.key.equals(key)).findFirst().orElse(null);
    }

    /** Every key, comma-separated, for error messages. */
    public static String keys() {
        return Arrays.stream(values()).map(AnomalyScore::key).collect(Collectors.joining(", "));
    }
}

package io.sparkvae.ml;

import io.sparkvae.data.ImageShape;
import io.sparkvae.model.AnomalyScore;
import java.io.Serializable;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;

/**
 * {@link VaeModel}'s anomaly-score parameters, kept apart from the model's own: one output column per
 * {@link AnomalyScore} beyond the -ELBO (empty skips it) and the images' shape the scores need.
 */
final class ScoreParams implements Serializable {
    private static final long serialVersionUID = 1L;

    private final Map<AnomalyScore, Param<String>> columns = new EnumMap<>(AnomalyScore.class);
    private final IntArrayParam imageShape;

    ScoreParams(Params owner) {
        for (AnomalyScore s : AnomalyScore.optional()) {
            columns.put(s, new Param<>(owner, s.param(), "output: " + s.meaning() + " (" + s.source()
                    + "; double, higher is more unusual); empty skips it"));
        }
        imageShape = new IntArrayParam(owner, "imageShape", "the images' [height, width, channels] (channels 1 or 3), "
                + "which the complexity and region scores need; empty: a square grey or RGB image of the model's input size",
                ScoreParams::validShape);
    }

    private static Object validShape(int[] v) {
        return v.length == 0 || (v.length == 3 && v[0] > 0 && v[1] > 0 && (v[2] == 1 || v[2] == 3));
    }

    /** The column Param of {@code score} (not the -ELBO's, which the model owns). */
    Param<String> column(AnomalyScore score) {
        Param<String> p = columns.get(score);
        if (p == null) {
            throw new IllegalArgumentException(score.key() + " has no column parameter here (negElboCol is the -ELBO's)");
        }
        return p;
    }

    Map<AnomalyScore, Param<String>> columns() {
        return Collections.unmodifiableMap(columns);
    }

    IntArrayParam imageShape() {
        return imageShape;
    }

    /** The shape a value of {@link #imageShape} gives, or null for an empty one. */
    static ImageShape shapeOf(int[] value) {
        return value.length == 0 ? null : new ImageShape(value[0], value[1], value[2]);
    }
}

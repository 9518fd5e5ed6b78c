package io.sparkvae.model;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;

/**
 * Adam with the same hyperparameters, state layout ([m | v], the size of two parameter vectors) and update rule as
 * ND4J's {@link Adam}, computed by {@link FusedAdamUpdater} in one vectorised Java pass instead of libnd4j's
 * {@code adam_updater} op, which runs a scalar loop (a square root and a division per parameter) and cost about a
 * fifth of a training step (docs/BENCHMARKS.md, "Profile").
 *
 * <p>Never written into a configuration: {@link VaeLayer#getUpdaterByParam} hands it to DL4J's updater in place of
 * the configured {@code Adam}, so saved models, checkpoints and the averaging rounds' configuration keep recording plain
 * {@code Adam}, and the Adam state stays exactly what parameter averaging averages and ModelSerializer saves.
 */
final class FusedAdam extends Adam {

    FusedAdam(Adam configured) {
        super(configured.getLearningRate(), configured.getBeta1(), configured.getBeta2(), configured.getEpsilon());
        setLearningRateSchedule(configured.getLearningRateSchedule());
    }

    @Override
    public GradientUpdater instantiate(INDArray viewArray, boolean initializeViewArray) {
        FusedAdamUpdater u = new FusedAdamUpdater(this);
        long[] gradientShape = viewArray.shape();
        gradientShape = java.util.Arrays.copyOf(gradientShape, gradientShape.length);
        gradientShape[1] /= 2;
        u.setStateViewArray(viewArray, gradientShape, viewArray.ordering(), initializeViewArray);
        return u;
    }

    @Override
    public GradientUpdater instantiate(Map<String, INDArray> updaterState, boolean initializeStateArrays) {
        FusedAdamUpdater u = new FusedAdamUpdater(this);
        u.setState(updaterState, initializeStateArrays);
        return u;
    }

    @Override
    public FusedAdam clone() {
        return new FusedAdam(this);
    }
}

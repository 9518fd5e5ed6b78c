package io.sparkvae.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkvae.model.Vae;
import io.sparkvae.model.VaeSpec;
import io.sparkvae.testing.LocalSpark;
import java.util.List;
import java.util.Random;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One averaging round through dl4j-spark on a real local Spark: the driver's parameters and Adam state must equal
 * the mean of what each worker produces from the broadcast state, recomputed here independently; for dl4j-spark's own
 * master and for the train stage's {@link CompactAveragingMaster}, which must average exactly the same way.
 */
@Tag("spark")
class ParameterAveragingTest {
    private static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = LocalSpark.start("averaging");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static DataSet minibatch(long seed) {
        Random r = new Random(seed);
        float[][] x = new float[20][12];
        for (float[] row : x) {
            for (int i = 0; i < row.length; i++) {
                row[i] = r.nextFloat();
            }
        }
        return Vae.minibatch(Nd4j.create(x));
    }

    @ParameterizedTest(name = "compact transfer: {0}")
    @ValueSource(booleans = {false, true})
    void oneRoundAveragesParametersAndUpdaterStateOfTheWorkers(boolean compact) {
        VaeSpec spec = new VaeSpec(12, List.of(8), 3, "relu", "xavier", "adam", 1e-2, 5);
        MultiLayerNetwork start = Vae.create(spec).network();
        // Warm the Adam state so that averaging it is not trivially averaging zeros.
        start.fit(minibatch(99));
        INDArray startParams = start.params().dup();
        INDArray startState = start.getUpdater().getStateViewArray().dup();

        List<DataSet> batches = List.of(minibatch(1), minibatch(2));
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        var scoreSum = jsc.sc().doubleAccumulator();
        var seen = jsc.sc().longAccumulator();
        WorkerStepHook hook = new WorkerStepHook(42, 1, scoreSum, seen);
        var builder = new ParameterAveragingTrainingMaster.Builder(2, 20)
                .batchSizePerWorker(20).averagingFrequency(1).saveUpdater(true)
                .rddTrainingApproach(RDDTrainingApproach.Direct).rngSeed(7L).trainingHooks(hook);
        ParameterAveragingTrainingMaster master = compact ? new CompactAveragingMaster(builder) : builder.build();
        SparkDl4jMultiLayer sparkNet = new SparkDl4jMultiLayer(jsc, start.clone(), master);
        MultiLayerNetwork averaged = sparkNet.fit(jsc.parallelize(batches, 2));

        // Independently: each worker starts from the same state, fits its one minibatch with the hook's noise seed.
        INDArray paramSum = Nd4j.zeros(startParams.dataType(), startParams.shape());
        INDArray stateSum = Nd4j.zeros(startState.dataType(), startState.shape());
        for (DataSet b : batches) {
            MultiLayerNetwork worker = start.clone();
            worker.setParams(startParams.dup());
            worker.getUpdater().getStateViewArray().assign(startState);
            hook.preUpdate(b, worker);
            worker.fit(b);
            paramSum.addi(worker.params());
            stateSum.addi(worker.getUpdater().getStateViewArray());
        }
        INDArray expectedParams = paramSum.divi(2);
        INDArray expectedState = stateSum.divi(2);

        assertTrue(averaged.params().sub(startParams).norm2Number().doubleValue() > 1e-4, "training moved the parameters");
        assertEquals(0.0, averaged.params().sub(expectedParams).amaxNumber().doubleValue(), 1e-6, "parameters are the workers' mean");
        assertEquals(0.0, averaged.getUpdater().getStateViewArray().sub(expectedState).amaxNumber().doubleValue(), 1e-6,
                "Adam state is the workers' mean");
        assertEquals(40, seen.value(), "the hook saw both minibatches");
        assertEquals(start.getLayerWiseConfigurations().getIterationCount() + 1,
                averaged.getLayerWiseConfigurations().getIterationCount(), "the round's step is counted (Adam's bias correction)");
    }
}

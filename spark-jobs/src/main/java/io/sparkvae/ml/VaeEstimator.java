package io.sparkvae.ml;

import io.sparkvae.config.JobConfig;
import io.sparkvae.config.JobConfigLoader;
import io.sparkvae.dataset.PixelColumn;
import io.sparkvae.io.BadInputException;
import io.sparkvae.io.HadoopFiles;
import io.sparkvae.layout.RunLayout;
import io.sparkvae.model.LoadedVae;
import io.sparkvae.model.Vae;
import io.sparkvae.provenance.Provenance;
import io.sparkvae.train.SparkTrainer;
import io.sparkvae.train.TrainingInput;
import io.sparkvae.train.TrainingOutputs;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReadable;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a VAE on a DataFrame of images as a Spark ML {@link Estimator}: exactly the train stage's training
 * ({@code train.SparkTrainer}: parameter averaging across executors, Adam, the per-epoch validation score
 * and checkpoints), with its hyper-parameters as Params whose defaults are the job config's defaults
 * ({@code io/sparkvae/defaults.conf}). {@link #fit} returns a {@link VaeModel}; it works inside a
 * {@code org.apache.spark.ml.Pipeline}.
 *
 * <p>{@link #validationFraction} of the rows (chosen by a seeded hash of their pixels) are held out and scored after
 * every epoch, or the rows a {@link #validationIndicatorCol} marks. With a {@link #checkpointDir} (any Hadoop URI every
 * executor can reach), the training's files go there ({@code model/}, {@code model/checkpoints/epoch-NNN/},
 * {@code metrics.jsonl}) and a fit that was interrupted resumes from its newest checkpoint; without one they go to a
 * temporary folder on the cluster's file system that is deleted afterwards ({@link TrainingFolder}). The output-column
 * Params ({@link VaeParams}) are the fitted model's. With an {@link #earlyStoppingPatience} the fit stops once the
 * validation -ELBO has stopped improving and keeps its best epoch's model; the fitted model's {@code summary()} says
 * what each epoch did ({@link VaeTrainingSummary}).
 */
public final class VaeEstimator extends Estimator<VaeModel> implements VaeParams<VaeEstimator>, DefaultParamsWritable {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(VaeEstimator.class);
    static final String OWNER = "VaeEstimator";
    /** The job config's defaults, the Params' defaults. */
    private static final JobConfig DEFAULTS = JobConfigLoader.load("", "defaults", "defaults", List.of());

    private final String uid;
    private final IntParam latentSize;
    private final IntArrayParam hiddenSizes;
    private final IntParam epochs;
    private final IntParam batchSize;
    private final DoubleParam learningRate;
    private final Param<String> learningRateScaling;
    private final IntParam workers;
    private final IntParam averagingFrequency;
    private final DoubleParam validationFraction;
    private final Param<String> validationIndicatorCol;
    private final Param<String> checkpointDir;
    private final IntParam earlyStoppingPatience;
    private final DoubleParam earlyStoppingMinDelta;

    public VaeEstimator(String uid) {
        this.uid = uid;
        latentSize = new IntParam(this, "latentSize", "dimensions of the latent space z", ParamValidators.gtEq(1));
        hiddenSizes = new IntArrayParam(this, "hiddenSizes", "encoder hidden layer sizes; the decoder mirrors them");
        epochs = new IntParam(this, "epochs", "passes over the training rows", ParamValidators.gtEq(1));
        batchSize = new IntParam(this, "batchSize", "minibatch size per worker", ParamValidators.gtEq(1));
        learningRate = new DoubleParam(this, "learningRate", "Adam's step size before scaling for the workers",
                ParamValidators.gt(0));
        learningRateScaling = new Param<>(this, "learningRateScaling", "none | linear | sqrt: each worker's step size is "
                + "learningRate x workers (linear) or x sqrt(workers)",
                ParamValidators.inArray(new String[] {"none", "linear", "sqrt"}));
        workers = new IntParam(this, "workers", "parallel training workers (Spark tasks per averaging round)",
                ParamValidators.gtEq(1));
        averagingFrequency = new IntParam(this, "averagingFrequency", "minibatches each worker fits between two "
                + "parameter-averaging rounds", ParamValidators.gtEq(1));
        validationFraction = new DoubleParam(this, "validationFraction", "share of rows held out and scored after "
                + "every epoch, in [0, 1), chosen by a seeded hash of their pixels (default 0.1); unused with a "
                + "validationIndicatorCol", ParamValidators.inRange(0, 1, true, false));
        validationIndicatorCol = new Param<>(this, "validationIndicatorCol", "boolean column: true for the rows held out "
                + "and scored after every epoch, false for the training rows (as Spark's GBTs take it); empty (default): "
                + "hold out validationFraction of the rows");
        checkpointDir = new Param<>(this, "checkpointDir", "folder (Hadoop URI every executor reaches) for the model, "
                + "its per-epoch checkpoints and metrics.jsonl; a fit there resumes from the newest checkpoint; empty: a "
                + "temporary folder under SparkContext's checkpoint folder, else under the default file system's working "
                + "folder (a local temporary folder on a local master); a local path with a cluster master is refused");
        earlyStoppingPatience = new IntParam(this, "earlyStoppingPatience", "epochs without an improvement of the validation "
                + "-ELBO by more than earlyStoppingMinDelta before the fit stops, keeping the model of its best epoch; 0 "
                + "(default): off, every epoch is trained and the last kept; needs held-out rows", ParamValidators.gtEq(0));
        earlyStoppingMinDelta = new DoubleParam(this, "earlyStoppingMinDelta", "the least drop of the validation -ELBO, in "
                + "nats, that counts as an improvement for earlyStoppingPatience (default 0)", ParamValidators.gtEq(0));
        JobConfig.Model m = DEFAULTS.model();
        JobConfig.Train t = DEFAULTS.train();
        VaeParams.setSharedDefaults(this, DEFAULTS.seed());
        setDefault(latentSize, m.latent());
        setDefault(hiddenSizes, m.hidden().stream().mapToInt(Integer::intValue).toArray());
        setDefault(epochs, t.epochs());
        setDefault(batchSize, t.batchSize());
        setDefault(learningRate, t.learningRate());
        setDefault(learningRateScaling, t.learningRateScaling());
        setDefault(workers, t.workers());
        setDefault(averagingFrequency, t.averagingFrequency());
        setDefault(validationFraction, 0.1);
        setDefault(validationIndicatorCol, "");
        setDefault(checkpointDir, "");
        setDefault(earlyStoppingPatience, t.earlyStopping().patience());
        setDefault(earlyStoppingMinDelta, t.earlyStopping().minDelta());
    }

    public VaeEstimator() {
        this(Identifiable.randomUID("vaeEstimator"));
    }

    @Override
    public String uid() {
        return uid;
    }

    public static MLReader<VaeEstimator> read() {
        return new DefaultParamsReadable<VaeEstimator>() {}.read();
    }

    public static VaeEstimator load(String path) {
        return read().load(path);
    }

    // ---- parameters ------------------------------------------------------------------------------------------------

    public IntParam latentSize() {
        return latentSize;
    }

    public IntArrayParam hiddenSizes() {
        return hiddenSizes;
    }

    public IntParam epochs() {
        return epochs;
    }

    public IntParam batchSize() {
        return batchSize;
    }

    public DoubleParam learningRate() {
        return learningRate;
    }

    public Param<String> learningRateScaling() {
        return learningRateScaling;
    }

    public IntParam workers() {
        return workers;
    }

    public IntParam averagingFrequency() {
        return averagingFrequency;
    }

    public DoubleParam validationFraction() {
        return validationFraction;
    }

    public Param<String> validationIndicatorCol() {
        return validationIndicatorCol;
    }

    public Param<String> checkpointDir() {
        return checkpointDir;
    }

    public IntParam earlyStoppingPatience() {
        return earlyStoppingPatience;
    }

    public DoubleParam earlyStoppingMinDelta() {
        return earlyStoppingMinDelta;
    }

    public int getLatentSize() {
        return (Integer) $(latentSize);
    }

    public int[] getHiddenSizes() {
        return $(hiddenSizes);
    }

    public int getEpochs() {
        return (Integer) $(epochs);
    }

    public int getBatchSize() {
        return (Integer) $(batchSize);
    }

    public double getLearningRate() {
        return (Double) $(learningRate);
    }

    public String getLearningRateScaling() {
        return $(learningRateScaling);
    }

    public int getWorkers() {
        return (Integer) $(workers);
    }

    public int getAveragingFrequency() {
        return (Integer) $(averagingFrequency);
    }

    public double getValidationFraction() {
        return (Double) $(validationFraction);
    }

    public String getValidationIndicatorCol() {
        return $(validationIndicatorCol);
    }

    public String getCheckpointDir() {
        return $(checkpointDir);
    }

    public int getEarlyStoppingPatience() {
        return (Integer) $(earlyStoppingPatience);
    }

    public double getEarlyStoppingMinDelta() {
        return (Double) $(earlyStoppingMinDelta);
    }

    public VaeEstimator setLatentSize(int value) {
        return (VaeEstimator) set(latentSize, value);
    }

    public VaeEstimator setHiddenSizes(int[] value) {
        return (VaeEstimator) set(hiddenSizes, value);
    }

    public VaeEstimator setEpochs(int value) {
        return (VaeEstimator) set(epochs, value);
    }

    public VaeEstimator setBatchSize(int value) {
        return (VaeEstimator) set(batchSize, value);
    }

    public VaeEstimator setLearningRate(double value) {
        return (VaeEstimator) set(learningRate, value);
    }

    public VaeEstimator setLearningRateScaling(String value) {
        return (VaeEstimator) set(learningRateScaling, value);
    }

    public VaeEstimator setWorkers(int value) {
        return (VaeEstimator) set(workers, value);
    }

    public VaeEstimator setAveragingFrequency(int value) {
        return (VaeEstimator) set(averagingFrequency, value);
    }

    public VaeEstimator setValidationFraction(double value) {
        return (VaeEstimator) set(validationFraction, value);
    }

    public VaeEstimator setValidationIndicatorCol(String value) {
        return (VaeEstimator) set(validationIndicatorCol, value);
    }

    public VaeEstimator setCheckpointDir(String value) {
        return (VaeEstimator) set(checkpointDir, value);
    }

    public VaeEstimator setEarlyStoppingPatience(int value) {
        return (VaeEstimator) set(earlyStoppingPatience, value);
    }

    public VaeEstimator setEarlyStoppingMinDelta(double value) {
        return (VaeEstimator) set(earlyStoppingMinDelta, value);
    }

    // ---- fitting ---------------------------------------------------------------------------------------------------

    /**
     * Refuses an input the fit cannot read and Params the trainer would refuse (before any job, as a Pipeline or a
     * TrainValidationSplit calls it first); the result is the schema the fitted model's {@code transform} returns.
     */
    @Override
    public StructType transformSchema(StructType schema) {
        trainingInput(1);
        PixelColumn.check(schema, getInputCol(), 0, null, OWNER);
        SharedColumns.indexAt(this, schema, OWNER);
        TrainingExamples.indicatorAt(schema, getValidationIndicatorCol(), OWNER);
        return SharedColumns.outputs(this, ScoredRows.defaults().scoreColumns()).schema(schema, OWNER);
    }

    @Override
    public VaeModel fit(Dataset<?> dataset) {
        StructType schema = dataset.schema();
        transformSchema(schema);
        SparkSession spark = dataset.sparkSession();
        // Where the training's files go, refused before any job when executors could not reach it.
        HadoopFiles files = new HadoopFiles(spark.sparkContext().hadoopConfiguration());
        TrainingFolder folder = TrainingFolder.of(spark.sparkContext(), files, getCheckpointDir(), OWNER);
        try {
            Dataset<Row> input = dataset.toDF();
            int indexAt = SharedColumns.indexAt(this, schema, OWNER);
            int indicatorAt = TrainingExamples.indicatorAt(schema, getValidationIndicatorCol(), OWNER);
            PixelColumn sizing = PixelColumn.check(schema, getInputCol(), 0, indexAt >= 0 ? getIndexCol() : null, OWNER);
            Row first = input.select(getInputCol()).where(org.apache.spark.sql.functions.col(getInputCol()).isNotNull()).first();
            if (first == null) {
                throw new BadInputException(OWNER + ": the input has no rows with an image in column '" + getInputCol() + "'");
            }
            int inputSize = PixelColumn.check(first.schema(), getInputCol(), 0, null, OWNER).read(first).length;
            PixelColumn pixels = sizing.ofSize(inputSize);

            Path dir = folder.dir();
            Dataset<Row> examples = TrainingExamples.of(spark, input, pixels, indexAt, getIndexCol(),
                            indicatorAt >= 0 ? TrainingExamples.HoldOut.byColumn(indicatorAt, getValidationIndicatorCol())
                                    : TrainingExamples.HoldOut.byHash(getValidationFraction()), getSeed())
                    .persist(StorageLevel.MEMORY_AND_DISK());
            try {
                Dataset<Row> train = TrainingExamples.split(examples, TrainingExamples.TRAIN);
                Dataset<Row> val = TrainingExamples.split(examples, TrainingExamples.VAL);
                long trainCount = train.count();
                long valCount = val.count();
                if (trainCount == 0) {
                    throw new BadInputException(OWNER + ": no rows to train on (" + valCount + " held out for validation)");
                }
                if (valCount == 0 && getEarlyStoppingPatience() > 0) {
                    throw new BadInputException(OWNER + ": earlyStoppingPatience = " + getEarlyStoppingPatience() + " needs held-out "
                            + "rows to judge by, and none are held out (raise validationFraction or mark some with validationIndicatorCol)");
                }
                TrainingInput training = trainingInput(input.rdd().getNumPartitions());
                Provenance provenance = Provenance.of(uid, paramValues(), getSeed(), null);
                LOG.info("{}: training on {} rows of {} values ({} held out), {} epochs, {} workers, into {}", OWNER, trainCount,
                        inputSize, valCount, getEpochs(), getWorkers(), dir);
                SparkTrainer.Result result = new SparkTrainer(spark, files, training).extendingCompleteModels().train(train, valCount == 0 ? null : val,
                        inputSize, TrainingOutputs.of(new RunLayout.TrainingFiles(dir)), provenance, !folder.temporary(),
                        m -> LOG.info(String.format(Locale.ROOT, "%s: epoch %d -ELBO train %.2f val %.2f (%.0f img/s)", OWNER,
                                m.epoch(), m.trainNegElbo(), m.valNegElbo(), m.imagesPerSecond())));
                Vae vae = result.vae();
                // Same uid, so the shared Params' values carry over (MLlib's copyValues); the model's seed is this fit's.
                VaeModel model = copyValues(new VaeModel(uid, new LoadedVae(vae, provenance)), ParamMap.empty());
                model.setSummary(new VaeTrainingSummary(result.history(), result.keptEpoch()));
                return model.setParent(this);
            } finally {
                examples.unpersist();
            }
        } finally {
            if (folder.temporary()) {
                files.deleteQuietly(folder.dir());
            }
        }
    }

    /** The training these Params describe, typed ({@link TrainingParams}): what {@link #fit} hands the trainer. */
    TrainingInput trainingInput(int partitions) {
        return TrainingParams.of(this, DEFAULTS, partitions);
    }

    /** Every parameter's value by name, recorded as the model's provenance config. */
    private Map<String, Object> paramValues() {
        Map<String, Object> out = new LinkedHashMap<>();
        for (var p : params()) {
            Object v = $(p);
            out.put(p.name(), v instanceof int[] a ? Arrays.stream(a).boxed().toList() : v);
        }
        return out;
    }

    @Override
    public VaeEstimator copy(ParamMap extra) {
        return defaultCopy(extra);
    }
}

package io.sparkvae.ml;

import io.sparkvae.data.ImageShape;
import io.sparkvae.dataset.PixelColumn;
import io.sparkvae.io.HadoopFiles;
import io.sparkvae.model.LoadedVae;
import io.sparkvae.model.Vae;
import io.sparkvae.onnx.ImageLayout;
import io.sparkvae.onnx.OnnxExport;
import io.sparkvae.provenance.Provenance;
import io.sparkvae.model.AnomalyScore;
import io.sparkvae.scoring.BlockPartitioner;
import io.sparkvae.scoring.ScoredBlocks;
import io.sparkvae.scoring.ScoringSettings;
import io.sparkvae.scoring.VaeBytes;
import io.sparkvae.spark.TaskProgress;
import io.sparkvae.spark.TaskThreads;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import scala.Tuple2;

/**
 * A trained VAE as a Spark ML {@link Model}: {@link #transform} appends each row's posterior (latent mean and
 * log-variance), its -ELBO, the {@link AnomalyScore}s that correct it (the highest are the most unusual rows) and, when
 * asked, its reconstruction and importance-sampled log-likelihood, computed on the executors through the project's one scoring path (the model
 * broadcast once, rows scored in blocks).
 *
 * <p>Every example draws its noise from a stream seeded by {@link #seed} and its own pixels, so its numbers do not
 * depend on its neighbours or partition. With an {@link #indexCol} (default {@code index}, present in every prepared
 * split) rows are regrouped into aligned index blocks exactly as the evaluate stage scores them: the numbers are then
 * bit-identical whatever the partitioning, and equal to the evaluate stage's. Without one, rows are scored where they
 * are, in runs of 100, without a shuffle, and agree across partitionings to within float rounding.
 *
 * <p>{@link #load} reads any run's {@code model/} folder as the train stage writes it; {@link #write} writes one (plus
 * the parameters in Spark ML's {@code metadata/}) that the evaluate and render stages accept.
 */
public final class VaeModel extends Model<VaeModel> implements VaeParams<VaeModel>, MLWritable {
    private static final long serialVersionUID = 1L;
    static final String OWNER = "VaeModel";

    private final String uid;
    private final transient LoadedVae model;
    private transient Broadcast<VaeBytes> broadcast;
    private transient SparkContext broadcastContext;

    private final ScoreParams scores;
    /** What the fit that made this model did, or null (a model loaded from a run, or saved without one). */
    private transient VaeTrainingSummary summary;

    /** The model {@code loaded}, with default parameters (the seed is the one the model was trained with). */
    public VaeModel(String uid, LoadedVae loaded) {
        this.uid = uid;
        this.model = loaded;
        VaeParams.setSharedDefaults(this, loaded.vae().spec().seed());
        scores = new ScoreParams(this);
        scores.columns().forEach((score, param) -> setDefault(param, score.column()));
        setDefault(scores.imageShape(), new int[0]);
    }

    /** The model {@code loaded} with a fresh uid. */
    public VaeModel(LoadedVae loaded) {
        this(Identifiable.randomUID("vaeModel"), loaded);
    }

    /** Reads a model folder (a run's {@code model/}, or one {@link #write} wrote), on any Hadoop FileSystem. */
    public static VaeModel load(String uri) {
        return read().load(uri);
    }

    public static MLReader<VaeModel> read() {
        return new VaeModelIo.Reader();
    }

    @Override
    public MLWriter write() {
        return new VaeModelIo.Writer(this);
    }

    @Override
    public String uid() {
        return uid;
    }

    /** The VAE and the provenance it was saved with. */
    public LoadedVae loaded() {
        return model;
    }

    public Vae vae() {
        return model.vae();
    }

    /** Whether {@link #summary} is there: for a model a fit returned, and one saved from it and loaded again. */
    public boolean hasSummary() {
        return summary != null;
    }

    /**
     * The training summary of the fit that made this model: each epoch's training and validation -ELBO.
     *
     * @throws IllegalStateException when there is none ({@link #hasSummary}), as for a run's {@code model/} folder
     */
    public VaeTrainingSummary summary() {
        if (summary == null) {
            throw new IllegalStateException(OWNER + ": no training summary available for this model (only a fitted model, "
                    + "or one saved from it, has one)");
        }
        return summary;
    }

    /** Sets the training summary ({@code VaeEstimator.fit}, loading); null for none. */
    VaeModel setSummary(VaeTrainingSummary value) {
        this.summary = value;
        return this;
    }

    // ---- anomaly scores --------------------------------------------------------------------------------------------

    /** Output: {@link AnomalyScore#BIAS_CORRECTED}. */
    public Param<String> biasCorrectedCol() {
        return scores.column(AnomalyScore.BIAS_CORRECTED);
    }

    /** Output: {@link AnomalyScore#COMPLEXITY_CORRECTED}. */
    public Param<String> complexityCorrectedCol() {
        return scores.column(AnomalyScore.COMPLEXITY_CORRECTED);
    }

    /** Output: {@link AnomalyScore#REGION_SURPRISE}. */
    public Param<String> regionSurpriseCol() {
        return scores.column(AnomalyScore.REGION_SURPRISE);
    }

    /** Output: {@link AnomalyScore#COLOUR_SURPRISE}. */
    public Param<String> colourSurpriseCol() {
        return scores.column(AnomalyScore.COLOUR_SURPRISE);
    }

    public IntArrayParam imageShape() {
        return scores.imageShape();
    }

    /** The output column of {@code score} ("" when skipped); the -ELBO's is {@link #getNegElboCol}. */
    public String getScoreCol(AnomalyScore score) {
        return score == AnomalyScore.NEG_ELBO ? getNegElboCol() : $(scores.column(score));
    }

    /** Sets the output column of {@code score}; "" skips it. */
    public VaeModel setScoreCol(AnomalyScore score, String column) {
        return score == AnomalyScore.NEG_ELBO ? setNegElboCol(column) : (VaeModel) set(scores.column(score), column);
    }

    public int[] getImageShape() {
        return $(scores.imageShape());
    }

    public VaeModel setImageShape(int[] heightWidthChannels) {
        return (VaeModel) set(scores.imageShape(), heightWidthChannels);
    }

    // ---- transforming ----------------------------------------------------------------------------------------------

    private ScoredRows outputs() {
        java.util.Map<AnomalyScore, String> columns = new java.util.EnumMap<>(AnomalyScore.class);
        for (AnomalyScore s : AnomalyScore.optional()) {
            columns.put(s, getScoreCol(s));
        }
        return SharedColumns.outputs(this, columns);
    }

    /** How rows are scored: the settings, with the anomaly scores whose columns are on. */
    private ScoringSettings settings(ScoredRows out) {
        ScoringSettings settings = new ScoringSettings(getSeed(), getElboSamples(), out.logLikelihoods() ? getIsSamples() : 0,
                ScoringSettings.DEFAULT_BLOCK_SIZE, out.reconstructions()).withScores(out.scores(),
                ScoreParams.shapeOf(getImageShape()));
        try {
            settings.shapeFor(vae().spec().inputSize());
        } catch (io.sparkvae.io.BadInputException e) {
            throw new IllegalArgumentException(OWNER + ": " + e.getMessage(), e);
        }
        return settings;
    }

    /**
     * The input schema with the output columns; refuses (IllegalArgumentException naming the column) a missing input
     * column, one of another type or (where its metadata says) another size, an index column that is not an integer,
     * and an output column that already exists.
     */
    @Override
    public StructType transformSchema(StructType schema) {
        PixelColumn.check(schema, getInputCol(), vae().spec().inputSize(), null, OWNER);
        SharedColumns.indexAt(this, schema, OWNER);
        ScoredRows out = outputs();
        settings(out);
        return out.schema(schema, OWNER);
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType schema = dataset.schema();
        StructType outSchema = transformSchema(schema);
        int indexAt = SharedColumns.indexAt(this, schema, OWNER);
        PixelColumn pixels = PixelColumn.check(schema, getInputCol(), vae().spec().inputSize(),
                indexAt >= 0 ? getIndexCol() : null, OWNER);
        ScoredRows out = outputs();
        ScoringSettings settings = settings(out);
        SparkSession spark = dataset.sparkSession();
        Broadcast<VaeBytes> bytes = broadcast(spark.sparkContext());
        JavaRDD<Row> rows = dataset.toDF().javaRDD();
        JavaRDD<Row> scored;
        if (indexAt >= 0) {
            String index = getIndexCol();
            int partitions = Math.max(1, rows.getNumPartitions());
            scored = rows.mapToPair(r -> new Tuple2<>(ScoredRows.index(r, indexAt, index), PackedRow.of(r, pixels)))
                    .repartitionAndSortWithinPartitions(new BlockPartitioner(partitions, settings.blockSize()))
                    .mapPartitions(it -> {
                        TaskThreads.fitToTask();
                        return ScoredBlocks.aligned(it, Tuple2::_1, t -> pixels.toFloats(t._2().image(), t._1()),
                                () -> bytes.value().restore(), settings, (t, s, i) -> out.of(t._2().row(pixels), s, i));
                    });
        } else {
            scored = rows.mapPartitions(it -> {
                TaskThreads.fitToTask();
                return ScoredBlocks.chunked(it, pixels::read, () -> bytes.value().restore(), settings, out::of);
            });
        }
        // Counted for a progress line of whoever watches (the encode stage); invisible otherwise.
        return spark.createDataFrame(TaskProgress.counted(scored), outSchema);
    }

    /** The model's bytes on the executors: broadcast once per Spark application and kept for every transform. */
    private synchronized Broadcast<VaeBytes> broadcast(SparkContext sc) {
        if (broadcast == null || broadcastContext != sc) {
            broadcast = JavaSparkContext.fromSparkContext(sc).broadcast(VaeBytes.of(vae()));
            broadcastContext = sc;
        }
        return broadcast;
    }

    /**
     * Writes this model as ONNX graphs for use outside Spark and the JVM into the folder {@code path} (any Hadoop URI):
     * {@code encoder.onnx}, {@code decoder.onnx} and {@code model.json} (see {@link OnnxExport}), committed atomically
     * with {@code _SUCCESS}; an existing export there is refused. The model knows its input size, not the images'
     * shape: {@code model.json} leaves height, width and channels empty ({@link #exportOnnx(String, ImageShape)} records them).
     */
    public void exportOnnx(String path) {
        exportOnnx(path, null);
    }

    /** {@link #exportOnnx(String)}, recording that the pixel vectors are HWC images of {@code shape}. */
    public void exportOnnx(String path, ImageShape shape) {
        HadoopFiles files = files();
        Provenance trained = model.provenance();
        Provenance exported = Provenance.of(trained.run(), trained.config() == null ? java.util.Map.of() : trained.config(),
                trained.seed(), trained.datasetSha256()).withModelSha256(trained.modelSha256());
        OnnxExport.writeCommitted(vae(), new ImageLayout(shape, null), exported, files.path(path), files, false);
    }

    @Override
    public VaeModel copy(ParamMap extra) {
        VaeModel copy = new VaeModel(uid, model).setSummary(summary);
        return copyValues(copy, extra).setParent(parent());
    }

    @Override
    public String toString() {
        return "VaeModel: uid=" + uid + ", " + vae().spec();
    }

    /** Every parameter with a value, explicitly set ({@code true}) or default, as Spark ML's JSON encoding. */
    java.util.Map<Boolean, java.util.Map<String, String>> encodedParams() {
        java.util.Map<Boolean, java.util.Map<String, String>> out = new java.util.HashMap<>();
        out.put(true, new java.util.TreeMap<>());
        out.put(false, new java.util.TreeMap<>());
        for (Param<?> p : params()) {
            if (isDefined(p)) {
                @SuppressWarnings("unchecked")
                Param<Object> param = (Param<Object>) p;
                out.get(isSet(p)).put(p.name(), param.jsonEncode($(param)));
            }
        }
        return out;
    }

    /** Sets parameters from Spark ML's JSON encoding (what {@link #encodedParams} wrote); unknown names are refused. */
    VaeModel applyEncodedParams(java.util.Map<String, String> encoded) {
        encoded.forEach((name, json) -> {
            @SuppressWarnings("unchecked")
            Param<Object> param = (Param<Object>) getParam(name);
            set(param, param.jsonDecode(json));
        });
        return this;
    }

    /** The FileSystem helper for {@code sc}'s Hadoop configuration, or the defaults without a running application. */
    static HadoopFiles files() {
        var active = SparkSession.getActiveSession();
        if (active.isEmpty()) {
            active = SparkSession.getDefaultSession();
        }
        return active.isDefined() ? new HadoopFiles(active.get().sparkContext().hadoopConfiguration()) : HadoopFiles.withDefaults();
    }
}

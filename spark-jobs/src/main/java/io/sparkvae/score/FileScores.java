package io.sparkvae.score;

import static org.apache.spark.sql.functions.col;

import io.sparkvae.dataset.ImageFileInputs;
import io.sparkvae.ml.VaeModel;
import io.sparkvae.model.LoadedVae;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.functions;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Decoded image files through {@link VaeModel} (the one scoring path): per file its {@code path} and every column the
 * model appends (latent mean and log-variance as {@code array<float>}, -ELBO, and whatever scores it adds), none
 * listed here by name.
 *
 * <p>Files are numbered by the rank of their path and scored in aligned blocks of that number, as evaluate and encode
 * score a prepared split by its index: the numbers are bit-identical whatever the partitioning, and a file scored in
 * the same block as in a prepared split (the same neighbours in the same order) gets exactly encode's numbers. Its
 * noise never depends on its neighbours (it is seeded by its pixels); only the gemms' last bits do.
 */
public final class FileScores {
    public static final String PATH = ImageFileInputs.PATH;
    /** The rank of a file's path among the scored files: the block it is scored in. */
    private static final String RANK = "index";

    private FileScores() {}

    /**
     * The scores and the names of the two columns the summary and picture read.
     *
     * @param table      {@code path} and the model's columns, one row per file
     * @param negElbo    the -ELBO column: the most unusual files have the highest
     * @param latentMean the posterior mean column (decoded for the reconstructions)
     */
    public record Scored(Dataset<Row> table, String negElbo, String latentMean) {}

    /**
     * @param images      {@code path} and {@code pixels} of the files ({@link ImageFileInputs.Decoded#images})
     * @param seed        the run seed (as encode uses it)
     * @param elboSamples eps draws per file (as encode uses evaluate.elbo-samples)
     */
    public static Scored table(SparkSession spark, Dataset<Row> images, LoadedVae model, long seed, int elboSamples) {
        StructType input = new StructType().add(RANK, DataTypes.LongType, false).add(PATH, DataTypes.StringType, false)
                .add(ImageFileInputs.PIXELS, DataTypes.createArrayType(DataTypes.FloatType, false), false);
        JavaRDD<Row> ranked = images.select(PATH, ImageFileInputs.PIXELS).orderBy(PATH).javaRDD().zipWithIndex()
                .map(t -> RowFactory.create(t._2(), t._1().getString(0), t._1().get(1)));
        VaeModel vae = new VaeModel(model).setSeed(seed).setElboSamples(elboSamples).setIndexCol(RANK);
        Dataset<Row> scored = vae.transform(spark.createDataFrame(ranked, input));
        List<Column> out = new ArrayList<>(List.of(col(PATH)));
        for (StructField f : scored.schema().fields()) {
            if (input.getFieldIndex(f.name()).isEmpty()) {
                out.add(f.dataType().equals(SQLDataTypes.VectorType())
                        ? functions.vector_to_array(col(f.name()), "float32").as(f.name()) : col(f.name()));
            }
        }
        return new Scored(scored.select(out.toArray(Column[]::new)), vae.getNegElboCol(), vae.getLatentMeanCol());
    }
}

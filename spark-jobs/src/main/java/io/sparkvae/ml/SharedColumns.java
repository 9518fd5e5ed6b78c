package io.sparkvae.ml;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** What {@link VaeParams}' columns mean for a schema, the same for the estimator and its model. */
final class SharedColumns {
    private SharedColumns() {}

    /** The output columns the Params switch on. */
    static ScoredRows outputs(VaeParams<?> p, java.util.Map<io.sparkvae.model.AnomalyScore, String> scoreColumns) {
        return new ScoredRows(p.getLatentMeanCol(), p.getLatentLogVarCol(), p.getNegElboCol(), p.getReconstructionCol(),
                p.getLogLikelihoodCol(), scoreColumns);
    }

    /**
     * The index column's position, or -1 when there is none to use: {@code indexCol} empty, or left at its default
     * and absent. A column named explicitly must exist and be an int or bigint.
     */
    static int indexAt(VaeParams<?> p, StructType schema, String owner) {
        String index = p.getIndexCol();
        if (index.isEmpty()) {
            return -1;
        }
        if (schema.getFieldIndex(index).isEmpty()) {
            if (p.isSet(p.indexCol())) {
                throw new IllegalArgumentException(owner + ": index column '" + index + "' does not exist; columns: "
                        + String.join(", ", schema.fieldNames()) + " (set indexCol to \"\" to use none)");
            }
            return -1;
        }
        StructField f = schema.apply(index);
        if (!f.dataType().equals(DataTypes.IntegerType) && !f.dataType().equals(DataTypes.LongType)) {
            throw new IllegalArgumentException(owner + ": index column '" + index + "' is " + f.dataType().simpleString()
                    + "; expected int or bigint (or set indexCol to \"\")");
        }
        return schema.fieldIndex(index);
    }
}

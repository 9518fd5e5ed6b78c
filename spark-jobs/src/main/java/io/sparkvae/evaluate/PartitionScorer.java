package io.sparkvae.evaluate;

import io.sparkvae.model.Vae;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Supplier;
import scala.Tuple2;

/**
 * Turns one partition's examples, sorted by index and keyed by it, into scores, one aligned block at a time (so only
 * one block's pixels and results are held at once). The model is restored on the first block.
 */
public final class PartitionScorer implements Iterator<ExampleScore> {
    private final Iterator<Tuple2<Integer, Example>> rows;
    private final Supplier<Vae> model;
    private final ScoringSettings settings;
    private BlockScorer scorer;
    private Tuple2<Integer, Example> pending;
    private Iterator<ExampleScore> current = Collections.emptyIterator();

    public PartitionScorer(Iterator<Tuple2<Integer, Example>> sortedRows, Supplier<Vae> model, ScoringSettings settings) {
        this.rows = sortedRows;
        this.model = model;
        this.settings = settings;
    }

    @Override
    public boolean hasNext() {
        while (!current.hasNext()) {
            List<Example> block = nextBlock();
            if (block.isEmpty()) {
                return false;
            }
            if (scorer == null) {
                scorer = new BlockScorer(model.get(), settings);
            }
            current = scorer.score(block).iterator();
        }
        return true;
    }

    @Override
    public ExampleScore next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return current.next();
    }

    private List<Example> nextBlock() {
        List<Example> block = new ArrayList<>();
        if (pending == null && rows.hasNext()) {
            pending = rows.next();
        }
        if (pending == null) {
            return block;
        }
        long b = BlockPartitioner.block(pending._1(), settings.blockSize());
        while (pending != null && BlockPartitioner.block(pending._1(), settings.blockSize()) == b) {
            block.add(pending._2());
            pending = rows.hasNext() ? rows.next() : null;
        }
        return block;
    }
}

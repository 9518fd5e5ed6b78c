package io.sparkvae.scoring;

import io.sparkvae.io.BadInputException;
import io.sparkvae.model.Vae;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * Scores one partition's items a block at a time through {@link BlockScorer} (only one block's pixels and results are
 * held at once; the model is restored on the first block) and turns each item and its scores into an output.
 *
 * <p>Two ways to cut blocks. {@link #aligned}: the items arrive sorted by an index, and a block is every item of one
 * aligned index range {@code [b * blockSize, (b + 1) * blockSize)} ({@link BlockPartitioner} keeps each range whole in
 * one partition). Then each block holds the same examples however the input was partitioned, and every number is
 * bit-identical. {@link #chunked}: consecutive runs of {@code blockSize} items as they come, with no shuffle; every
 * example still draws the same noise, but the gemms' float rounding depends on a block's other rows, so numbers agree
 * across partitionings only to within that rounding.
 *
 * @param <T> an input item (a Row, an example)
 * @param <R> an output item
 */
public final class ScoredBlocks<T, R> implements Iterator<R> {
    /** Builds the output for one item from its block's scores. */
    @FunctionalInterface
    public interface Output<T, R> {
        R of(T item, BlockScores scores, int row);
    }

    private final Iterator<T> items;
    /** The block an item belongs to, or null to cut runs of {@code blockSize}. */
    private final ToLongFunction<T> alignedIndex;
    private final Function<T, float[]> pixels;
    private final Supplier<Vae> model;
    private final ScoringSettings settings;
    private final Output<T, R> output;
    private BlockScorer scorer;
    private T pending;
    private Iterator<R> current = Collections.emptyIterator();

    private ScoredBlocks(Iterator<T> items, ToLongFunction<T> alignedIndex, Function<T, float[]> pixels, Supplier<Vae> model,
                         ScoringSettings settings, Output<T, R> output) {
        this.items = items;
        this.alignedIndex = alignedIndex;
        this.pixels = pixels;
        this.model = model;
        this.settings = settings;
        this.output = output;
    }

    /**
     * Blocks of aligned index ranges; {@code sortedItems} must be in ascending order of {@code index} (a repeated index
     * is bad input, naming it).
     */
    public static <T, R> Iterator<R> aligned(Iterator<T> sortedItems, ToLongFunction<T> index, Function<T, float[]> pixels,
                                             Supplier<Vae> model, ScoringSettings settings, Output<T, R> output) {
        return new ScoredBlocks<>(sortedItems, index, pixels, model, settings, output);
    }

    /** Blocks of {@code blockSize} consecutive items. */
    public static <T, R> Iterator<R> chunked(Iterator<T> items, Function<T, float[]> pixels, Supplier<Vae> model,
                                             ScoringSettings settings, Output<T, R> output) {
        return new ScoredBlocks<>(items, null, pixels, model, settings, output);
    }

    @Override
    public boolean hasNext() {
        while (!current.hasNext()) {
            List<T> block = nextBlock();
            if (block.isEmpty()) {
                return false;
            }
            if (scorer == null) {
                scorer = new BlockScorer(model.get(), settings);
            }
            List<float[]> x = new ArrayList<>(block.size());
            for (T item : block) {
                x.add(pixels.apply(item));
            }
            BlockScores scores = scorer.score(x);
            List<R> out = new ArrayList<>(block.size());
            for (int i = 0; i < block.size(); i++) {
                out.add(output.of(block.get(i), scores, i));
            }
            current = out.iterator();
        }
        return true;
    }

    @Override
    public R next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return current.next();
    }

    private List<T> nextBlock() {
        List<T> block = new ArrayList<>();
        if (pending == null && items.hasNext()) {
            pending = items.next();
        }
        if (pending == null) {
            return block;
        }
        if (alignedIndex == null) {
            while (pending != null && block.size() < settings.blockSize()) {
                block.add(pending);
                pending = items.hasNext() ? items.next() : null;
            }
            return block;
        }
        long b = BlockPartitioner.block(alignedIndex.applyAsLong(pending), settings.blockSize());
        long previous = Long.MIN_VALUE;
        while (pending != null && BlockPartitioner.block(alignedIndex.applyAsLong(pending), settings.blockSize()) == b) {
            long index = alignedIndex.applyAsLong(pending);
            if (index == previous) {
                throw new BadInputException("the input holds index " + index + " more than once");
            }
            if (index < previous) {
                throw new IllegalStateException("items are not sorted by index: " + index + " after " + previous);
            }
            previous = index;
            block.add(pending);
            pending = items.hasNext() ? items.next() : null;
        }
        return block;
    }
}

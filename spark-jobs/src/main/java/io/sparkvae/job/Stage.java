package io.sparkvae.job;

/**
 * One pipeline stage as a function of its context: it reads its inputs, skips when its output is complete, and
 * otherwise builds and commits the output. Failures are exceptions; {@link Failures} turns them into the stage
 * contract's exit codes, the same whether the stage runs alone, in {@code vae pipeline} or in an experiment.
 */
@FunctionalInterface
public interface Stage {
    void run(StageContext ctx);
}

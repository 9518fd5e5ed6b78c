package io.sparkvae.layout;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.apache.hadoop.fs.Path;

/**
 * Every stage of a run, one typed value each, with all that the lists of stages need to know about it: its command
 * name, the output folder whose {@code _SUCCESS} marks it complete, the file that records its provenance, which inputs
 * it reads (so which identities make its output stale), the config sections it reads (its {@code --help} lists their
 * keys) and whether {@code vae pipeline} runs it. Adding a stage is one constant here, one class in {@code stages/}
 * (and its case in {@code StageCatalog}, which the compiler asks for) and its tests.
 */
public enum StageDescriptor {
    PREPARE(Names.PREPARE, Set.of(), List.of("data"), true,
            l -> l.dataset().dir(), l -> l.dataset().manifest()),
    TRAIN(Names.TRAIN, Set.of(Input.DATASET), List.of("data", "model", "train"), true,
            RunLayout::model, l -> new Path(l.model(), "provenance.json")),
    EVALUATE(Names.EVALUATE, Set.of(Input.DATASET, Input.MODEL), List.of("data", "evaluate"), true,
            l -> l.eval().dir(), l -> l.eval().metrics()),
    ENCODE(Names.ENCODE, Set.of(Input.DATASET, Input.MODEL), List.of("data", "encode", "scores"), true,
            l -> l.encode().dir(), l -> l.encode().description()),
    RENDER(Names.RENDER, Set.of(Input.DATASET, Input.MODEL), List.of("data", "render", "scores"), true,
            l -> l.render().dir(), l -> new Path(l.render().dir(), "reconstructions.json")),
    GENERATE(Names.GENERATE, Set.of(Input.DATASET, Input.MODEL), List.of("data", "generate"), true,
            l -> l.generate().dir(), l -> new Path(l.generate().dir(), "samples.json")),
    EXPORT(Names.EXPORT, Set.of(Input.DATASET, Input.MODEL), List.of("data"), true,
            l -> l.export().dir(), l -> l.export().description()),
    PAGE(Names.PAGE, Set.of(Input.DATASET, Input.MODEL), List.of("data", "render"), true,
            l -> l.page().dir(), l -> l.page().description()),
    SCORE(Names.SCORE, Set.of(Input.DATASET, Input.MODEL), List.of("data", "score", "scores"), false,
            l -> l.score().dir(), l -> l.score().summary());

    /** The command names, as constants for annotations ({@code @Command(name = ...)}); each used once below. */
    public static final class Names {
        public static final String PREPARE = "prepare";
        public static final String TRAIN = "train";
        public static final String EVALUATE = "evaluate";
        public static final String ENCODE = "encode";
        public static final String RENDER = "render";
        public static final String GENERATE = "generate";
        public static final String EXPORT = "export";
        public static final String PAGE = "page";
        public static final String SCORE = "score";

        private Names() {}
    }

    /** An input whose identity an output records (in its provenance) and is checked against. */
    public enum Input {
        /** The prepared dataset ({@code datasetSha256}). */
        DATASET,
        /** The trained model ({@code modelSha256}). */
        MODEL
    }

    /** Config sections every stage reads besides its own: the run's name and root settings, and the seed. */
    public static final List<String> COMMON_SECTIONS = List.of("run", "seed");

    private final String commandName;
    private final Set<Input> inputs;
    private final List<String> sections;
    private final boolean inPipeline;
    private final Function<RunLayout, Path> output;
    private final Function<RunLayout, Path> provenanceRecord;

    StageDescriptor(String commandName, Set<Input> inputs, List<String> sections, boolean inPipeline,
            Function<RunLayout, Path> output, Function<RunLayout, Path> provenanceRecord) {
        this.commandName = commandName;
        this.inputs = inputs;
        this.sections = sections;
        this.inPipeline = inPipeline;
        this.output = output;
        this.provenanceRecord = provenanceRecord;
    }

    /** The stage's command ({@code vae train}) and the name events, logs and job labels use. */
    public String commandName() {
        return commandName;
    }

    /** Whether the stage reads {@code input}, so that a replaced one makes its output stale. */
    public boolean reads(Input input) {
        return inputs.contains(input);
    }

    /** The config sections the stage reads besides {@link #COMMON_SECTIONS}. */
    public List<String> sections() {
        return sections;
    }

    /** Whether {@code vae pipeline} (and the workflow) runs the stage. */
    public boolean inPipeline() {
        return inPipeline;
    }

    /** The folder whose {@code _SUCCESS} marks the stage complete in {@code layout}. */
    public Path output(RunLayout layout) {
        return output.apply(layout);
    }

    /** The file recording the provenance of the stage's output (the identities of what it was made from). */
    public Path provenanceRecord(RunLayout layout) {
        return provenanceRecord.apply(layout);
    }

    /** The stages {@code vae pipeline} runs, in order. */
    public static List<StageDescriptor> pipeline() {
        return Arrays.stream(values()).filter(StageDescriptor::inPipeline).toList();
    }

    /** The stage with this command name. */
    public static Optional<StageDescriptor> named(String commandName) {
        return Arrays.stream(values()).filter(s -> s.commandName.equals(commandName)).findFirst();
    }

    @Override
    public String toString() {
        return commandName;
    }
}

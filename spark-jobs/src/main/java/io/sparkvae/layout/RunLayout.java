package io.sparkvae.layout;

import io.sparkvae.onnx.OnnxExport;
import org.apache.hadoop.fs.Path;

/**
 * Every path of one run under an output root ({@link StageDescriptor} says which folder marks each stage complete):
 *
 * <pre>
 * &lt;root&gt;/datasets/&lt;dataset&gt;/         prepare  ({@link DatasetLayout})
 * &lt;root&gt;/runs/&lt;run&gt;/model/              train    (model/checkpoints/epoch-NNN/ inside)
 * &lt;root&gt;/runs/&lt;run&gt;/.model.training/    train    (the model being trained, with its checkpoints; renamed to model/)
 * &lt;root&gt;/runs/&lt;run&gt;/metrics.jsonl       train    (one line per epoch)
 * &lt;root&gt;/runs/&lt;run&gt;/train-batches/      train    (exported minibatches, deleted after training)
 * &lt;root&gt;/runs/&lt;run&gt;/eval/               evaluate ({@link EvalFiles})
 * &lt;root&gt;/runs/&lt;run&gt;/encode/&lt;name&gt;/      encode   ({@link EncodeFiles})
 * &lt;root&gt;/runs/&lt;run&gt;/render/             render   ({@link RenderFiles})
 * &lt;root&gt;/runs/&lt;run&gt;/generate/           generate ({@link GenerateFiles})
 * &lt;root&gt;/runs/&lt;run&gt;/export/             export   ({@link ExportFiles})
 * &lt;root&gt;/runs/&lt;run&gt;/score/&lt;name&gt;/       score    ({@link ScoreFiles}; a command of its own, not a pipeline stage)
 * &lt;root&gt;/runs/&lt;run&gt;/report/             page     ({@link PageFiles}: index.html, the run's page)
 * &lt;root&gt;/runs/&lt;run&gt;/events.jsonl        every stage: one line when it starts and one when it ends
 * &lt;root&gt;/logs/&lt;run&gt;/&lt;stage&gt;.log         workflow engines' stage logs
 * &lt;root&gt;/experiments/&lt;name&gt;/           {@link ExperimentLayout}
 * </pre>
 *
 * <p>Adding an output means adding it here and in the stage that writes it.
 */
public final class RunLayout {
    /** The encode stage's output folder name (encode.split, encode.input's folder or encode.name). */
    private static final String DEFAULT_ENCODING = "test";
    /** The score command's output folder name when none is given ({@link #withScoring}). */
    private static final String DEFAULT_SCORING = "images";

    private final Path root;
    private final String run;
    private final DatasetLayout dataset;
    private final String encoding;
    private final String scoring;

    private RunLayout(Path root, String run, DatasetLayout dataset, String encoding, String scoring) {
        this.root = root;
        this.run = run;
        this.dataset = dataset;
        this.encoding = encoding;
        this.scoring = scoring;
    }

    /**
     * The layout of run {@code run} on dataset folder {@code dataset} under {@code root}. Both names must be plain
     * folder names: outputs never leave the root, whatever a config value holds ({@code ..}, a path, a URI).
     *
     * @throws IllegalArgumentException naming the offending value
     */
    public static RunLayout of(Path root, String run, String dataset) {
        return new RunLayout(root, run, new DatasetLayout(child(new Path(root, "datasets"), dataset, "dataset")), DEFAULT_ENCODING,
                DEFAULT_SCORING);
    }

    /**
     * This layout with the encode stage writing {@code runs/<run>/encode/<name>/}.
     *
     * @throws IllegalArgumentException when {@code name} is not a plain folder name
     */
    public RunLayout withEncoding(String name) {
        child(new Path(dir(), "encode"), name, "encode output");
        return new RunLayout(root, run, dataset, name, scoring);
    }

    /**
     * This layout with the score command writing {@code runs/<run>/score/<name>/}.
     *
     * @throws IllegalArgumentException when {@code name} is not a plain folder name
     */
    public RunLayout withScoring(String name) {
        child(new Path(dir(), "score"), name, "score output");
        return new RunLayout(root, run, dataset, encoding, name);
    }

    private static Path child(Path parent, String name, String what) {
        Path p;
        try {
            p = new Path(parent, name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " name '" + name + "' is not a valid folder name: " + e.getMessage());
        }
        if (!parent.equals(p.getParent()) || !p.getName().equals(name)) {
            throw new IllegalArgumentException(what + " name '" + name + "' would place outputs outside " + parent);
        }
        return p;
    }

    public Path root() {
        return root;
    }

    public String run() {
        return run;
    }

    public DatasetLayout dataset() {
        return dataset;
    }

    /** {@code <root>/runs/<run>}. */
    public Path dir() {
        return child(new Path(root, "runs"), run, "run");
    }

    /** The trained model, committed by train ({@code _SUCCESS} last). */
    public Path model() {
        return training().model();
    }

    /** The per-epoch checkpoints, inside the model folder so a committed model carries its history. */
    public Path checkpoints() {
        return training().checkpoints();
    }

    /**
     * The model being trained, checkpoints included: a hidden sibling of {@link #model()}, so a complete model stays
     * in place, usable, until the new one is renamed over it, and {@code train --resume} finds the checkpoints of an
     * interrupted attempt (of a first training or of {@code --overwrite}) in one place.
     */
    public Path modelAttempt() {
        return training().attempt();
    }

    /** The checkpoint folder inside a model folder ({@link #model()} or {@link #modelAttempt()}). */
    public static Path checkpointsOf(Path modelDir) {
        return new Path(modelDir, "checkpoints");
    }

    /** The training log: one JSON line per epoch. */
    public Path trainingLog() {
        return training().log();
    }

    /** The exported training minibatches (a temporary sibling of this while training runs). */
    public Path trainBatches() {
        return training().batches();
    }

    /** What train writes in the run folder. */
    public TrainingFiles training() {
        return new TrainingFiles(dir());
    }

    public EvalFiles eval() {
        return new EvalFiles(new Path(dir(), "eval"));
    }

    public RenderFiles render() {
        return new RenderFiles(new Path(dir(), "render"));
    }

    /** The encode stage's folder for this layout's encoding ({@link #withEncoding}). */
    public EncodeFiles encode() {
        return new EncodeFiles(child(new Path(dir(), "encode"), encoding, "encode output"));
    }

    /** The score command's folder for this layout's scoring ({@link #withScoring}). */
    public ScoreFiles score() {
        return new ScoreFiles(child(new Path(dir(), "score"), scoring, "score output"));
    }

    public GenerateFiles generate() {
        return new GenerateFiles(new Path(dir(), "generate"));
    }

    public ExportFiles export() {
        return new ExportFiles(new Path(dir(), "export"));
    }

    /** The page stage's folder, {@code report/} (the run's page; not to be confused with {@code vae report}'s sweeps). */
    public PageFiles page() {
        return new PageFiles(new Path(dir(), "report"));
    }

    /**
     * The run's event log: every stage of the run appends a JSON line when it starts and one when it ends (outcome,
     * times, its key numbers), for schedulers and dashboards. Appended, never rewritten: see
     * {@code HadoopFiles.appendLine} for what that means on each file system.
     */
    public Path events() {
        return new Path(dir(), "events.jsonl");
    }

    /**
     * What {@code stage}'s Spark jobs are labelled with in the Spark UI: the stage and the name its output goes by,
     * the dataset folder for prepare ({@code prepare punks}) and the run for the others ({@code train mnist-z20}).
     */
    public String label(StageDescriptor stage) {
        return stage.commandName() + " " + (stage == StageDescriptor.PREPARE ? dataset.dir().getName() : run);
    }

    /** Where workflow engines write each stage's console output ({@code <stage>.log}). */
    public Path logs() {
        return new Path(new Path(root, "logs"), run);
    }

    /** The folder whose {@code _SUCCESS} marks {@code stage} complete. */
    public Path output(StageDescriptor stage) {
        return stage.output(this);
    }

    /** The file holding the provenance of {@code stage}'s output (see {@link StageDescriptor#provenanceRecord}). */
    public Path provenanceRecord(StageDescriptor stage) {
        return stage.provenanceRecord(this);
    }

    /** A sweep's folder under this root. */
    public static ExperimentLayout experiment(Path root, String name) {
        return new ExperimentLayout(child(new Path(root, "experiments"), name, "experiment"));
    }

    /** Every experiment folder's parent, {@code <root>/experiments}. */
    public static Path experiments(Path root) {
        return new Path(root, "experiments");
    }

    /**
     * What a training writes into its folder: a run's folder, or {@code ml.VaeEstimator}'s {@code checkpointDir}.
     *
     * @param dir the folder
     */
    public record TrainingFiles(Path dir) {
        /** The final model, committed last ({@code _SUCCESS}). */
        public Path model() {
            return new Path(dir, "model");
        }

        /** The per-epoch checkpoints, inside the model folder. */
        public Path checkpoints() {
            return checkpointsOf(model());
        }

        /** The model being trained, with its checkpoints, until it is renamed to {@link #model()}. */
        public Path attempt() {
            return new Path(dir, ".model.training");
        }

        /** The training log: one JSON line per epoch. */
        public Path log() {
            return new Path(dir, "metrics.jsonl");
        }

        /** The exported training minibatches (a temporary sibling of this while training runs). */
        public Path batches() {
            return new Path(dir, "train-batches");
        }
    }

    /**
     * The evaluate stage's folder.
     *
     * @param dir {@code <run>/eval}, or a temporary sibling it is staged in
     */
    public record EvalFiles(Path dir) {
        /** Test-set means, how they were estimated, the model and provenance. */
        public Path metrics() {
            return new Path(dir, "metrics.json");
        }

        /** One row per test example (Parquet). */
        public Path perExample() {
            return new Path(dir, "per_example.parquet");
        }

        /** The test -ELBO of every epoch checkpoint (evaluate.curve). */
        public Path curve() {
            return new Path(dir, "curve.jsonl");
        }

        public EvalFiles stagedIn(Path staging) {
            return new EvalFiles(staging);
        }
    }

    /**
     * The render stage's folder: one PNG per picture, each with a JSON sidecar of the same stem.
     *
     * @param dir {@code <run>/render}, or a temporary sibling it is staged in
     */
    public record RenderFiles(Path dir) {
        public Path reconstructions() {
            return new Path(dir, "reconstructions.png");
        }

        public Path manifold() {
            return new Path(dir, "manifold.png");
        }

        public Path samples() {
            return new Path(dir, "samples.png");
        }

        public Path latentScatter() {
            return new Path(dir, "latent-scatter.png");
        }

        public Path trainingCurve() {
            return new Path(dir, "training-curve.png");
        }

        public Path interpolations() {
            return new Path(dir, "interpolations.png");
        }

        public Path outliers() {
            return new Path(dir, "outliers.png");
        }

        public RenderFiles stagedIn(Path staging) {
            return new RenderFiles(staging);
        }
    }

    /**
     * The encode stage's folder: the scores as Parquet part files (so the folder reads as one table), the description
     * of what was scored with its provenance in {@code _encode.json} (Parquet readers skip names starting with
     * {@code _}), then {@code _SUCCESS}.
     *
     * @param dir {@code <run>/encode/<name>}, or a temporary sibling it is staged in
     */
    public record EncodeFiles(Path dir) {
        public Path description() {
            return new Path(dir, "_encode.json");
        }

        public EncodeFiles stagedIn(Path staging) {
            return new EncodeFiles(staging);
        }
    }

    /**
     * The score command's folder: the scores as Parquet ({@code scores.parquet/}) and as one CSV file
     * ({@code scores.csv}), what was scored with the most unusual files and provenance ({@code summary.json}), their
     * picture ({@code most-unusual.png} + sidecar), then {@code _SUCCESS}.
     *
     * @param dir {@code <run>/score/<name>}, or a temporary sibling it is staged in
     */
    public record ScoreFiles(Path dir) {
        public Path table() {
            return new Path(dir, "scores.parquet");
        }

        public Path csv() {
            return new Path(dir, "scores.csv");
        }

        public Path summary() {
            return new Path(dir, "summary.json");
        }

        public Path mostUnusual() {
            return new Path(dir, "most-unusual.png");
        }

        public ScoreFiles stagedIn(Path staging) {
            return new ScoreFiles(staging);
        }
    }

    /**
     * The generate stage's folder: {@code samples.parquet} (sample number, z, pixels), the grid {@code samples.png}
     * with its sidecar and, optionally, {@code images/sample-NNNNNN.png} with one sidecar {@code images.json}.
     *
     * @param dir {@code <run>/generate}, or a temporary sibling it is staged in
     */
    public record GenerateFiles(Path dir) {
        public Path samples() {
            return new Path(dir, "samples.parquet");
        }

        public Path grid() {
            return new Path(dir, "samples.png");
        }

        public Path images() {
            return new Path(dir, "images");
        }

        /** Sample {@code i}'s own picture. */
        public Path image(long i) {
            return new Path(images(), String.format(java.util.Locale.ROOT, "sample-%06d.png", i));
        }

        public GenerateFiles stagedIn(Path staging) {
            return new GenerateFiles(staging);
        }
    }

    /**
     * The export stage's folder: the model as ONNX graphs and their description with its provenance (file names from
     * {@link OnnxExport}, which writes them).
     *
     * @param dir {@code <run>/export}
     */
    public record ExportFiles(Path dir) {
        public Path encoder() {
            return new Path(dir, OnnxExport.ENCODER);
        }

        public Path decoder() {
            return new Path(dir, OnnxExport.DECODER);
        }

        public Path description() {
            return new Path(dir, OnnxExport.DESCRIPTION);
        }
    }

    /**
     * The page stage's folder: {@code index.html} (self-contained: open it from the file system) and {@code page.json}
     * (what it was made from, with provenance).
     *
     * @param dir {@code <run>/report}, or a temporary sibling it is staged in
     */
    public record PageFiles(Path dir) {
        public Path index() {
            return new Path(dir, "index.html");
        }

        public Path description() {
            return new Path(dir, "page.json");
        }

        public PageFiles stagedIn(Path staging) {
            return new PageFiles(staging);
        }
    }

    /**
     * A sweep's folder, {@code <root>/experiments/<name>/}: {@code results.json} (written last), the collected
     * {@code pictures/} and the runner's {@code timings/<run>.jsonl}.
     */
    public record ExperimentLayout(Path dir) {
        public Path results() {
            return new Path(dir, "results.json");
        }

        public Path pictures() {
            return new Path(dir, "pictures");
        }

        public Path timings(String run) {
            return new Path(new Path(dir, "timings"), run + ".jsonl");
        }
    }
}

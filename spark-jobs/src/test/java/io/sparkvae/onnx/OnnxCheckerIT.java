package io.sparkvae.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkvae.data.ImageShape;
import io.sparkvae.data.PunkSheet;
import io.sparkvae.io.HadoopFiles;
import io.sparkvae.model.Vae;
import io.sparkvae.model.VaeSpec;
import io.sparkvae.model.VaeStore;
import io.sparkvae.provenance.Provenance;
import io.sparkvae.testing.ChildProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ONNX's own checker (Debian's {@code python3-onnx}, which {@code scripts/test.sh} installs) on exported graphs: the
 * full check, and strict shape inference giving each output its [N, columns] shape from the graph alone.
 */
class OnnxCheckerIT {
    /** Checks every file named; prints {@code <file> <output> <dims>} per output. */
    private static final String CHECK = String.join("\n",
            "import sys, onnx",
            "from onnx import shape_inference",
            "for f in sys.argv[1:]:",
            "    m = onnx.load(f)",
            "    onnx.checker.check_model(m, full_check=True)",
            "    assert m.opset_import[0].version >= 13, m.opset_import",
            "    inferred = shape_inference.infer_shapes(m, strict_mode=True)",
            "    for o in inferred.graph.output:",
            "        dims = [d.dim_param or str(d.dim_value) for d in o.type.tensor_type.shape.dim]",
            "        print(f.split('/')[-1], o.name, ','.join(dims))");

    @TempDir
    Path tmp;

    @Test
    void exportedGraphsPassOnnxsCheckerAndShapeInference() {
        // Debian's interpreter, where python3-onnx installs (a python3 earlier on PATH, e.g. pyenv's, lacks it).
        Path python = Path.of("/usr/bin/python3");
        assertTrue(java.nio.file.Files.isExecutable(python), python + " is missing: apt-get install -y python3-onnx"
                + " (scripts/test.sh installs it)");
        Path mnist = export(VaeSpec.defaults(784, List.of(500), 20, 1), new ImageShape(28, 28, 1), "mnist");
        Path punks = export(VaeSpec.defaults(1728, List.of(500), 2, 1), PunkSheet.SHAPE, "punks");
        Path tanh = export(new VaeSpec(64, List.of(32, 16), 3, "tanh", "normal", "adagrad", 0.01, 1), new ImageShape(8, 8, 1), "tanh");
        List<String> cmd = new java.util.ArrayList<>(List.of(python.toString(), "-c", CHECK));
        for (Path dir : List.of(mnist, punks, tanh)) {
            cmd.add(dir.resolve(OnnxExport.ENCODER).toString());
            cmd.add(dir.resolve(OnnxExport.DECODER).toString());
        }
        ChildProcess.Result r = ChildProcess.run(cmd, tmp, Map.of(), tmp.resolve("checker.log"), Duration.ofMinutes(2));
        assertEquals(0, r.exitCode(), "ONNX's checker refused a graph:\n" + r.tail());
        assertEquals(List.of(
                "encoder.onnx latent_mean N,20", "encoder.onnx latent_log_var N,20", "decoder.onnx pixels N,784",
                "encoder.onnx latent_mean N,2", "encoder.onnx latent_log_var N,2", "decoder.onnx pixels N,1728",
                "encoder.onnx latent_mean N,3", "encoder.onnx latent_log_var N,3", "decoder.onnx pixels N,64"),
                r.output().lines().filter(l -> l.contains(".onnx ")).toList(), r.tail());
        assertTrue(r.output().lines().noneMatch(l -> l.contains("Warning")), r.tail());
    }

    private Path export(VaeSpec spec, ImageShape shape, String name) {
        HadoopFiles files = HadoopFiles.withDefaults();
        Vae vae = Vae.create(spec);
        Path dir = tmp.resolve(name);
        Provenance p = Provenance.of(name, Map.of(), spec.seed(), null).withModelSha256(VaeStore.identity(vae));
        OnnxExport.writeCommitted(vae, new ImageLayout(shape, null), p, files.path(dir.toString()), files, false);
        return dir;
    }
}

package io.sparkvae.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkvae.io.BadInputException;
import io.sparkvae.io.HadoopFiles;
import io.sparkvae.provenance.Provenance;
import java.nio.file.Files;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Save/load through a (local) Hadoop FileSystem. */
class VaeStoreTest {

    @TempDir
    java.nio.file.Path tmp;

    @Test
    void savedModelLoadsBackWithBitIdenticalOutputs() {
        HadoopFiles files = HadoopFiles.withDefaults();
        INDArray data = TestData.images(300, 5);
        Vae vae = Vae.create(TestData.spec("tanh"));
        new SingleProcessTrainer(vae, 50, 1).train(data, null, 2, null);
        Provenance provenance = Provenance.of("unit", Map.of("epochs", 2), 1, "abc");
        Path target = files.path(tmp.resolve("model").toString());
        VaeStore.saveCommitted(vae, provenance, target, files, false);
        assertTrue(files.isComplete(target));

        LoadedVae loaded = VaeStore.load(target, files);
        // The provenance comes back with the model's identity, a hash of what it computes, not of when it was saved.
        assertEquals(provenance.withModelSha256(VaeStore.identity(vae)), loaded.provenance());
        assertEquals(VaeStore.identity(vae), VaeStore.identity(loaded.vae()), "identity survives save and load");
        assertEquals(vae.spec(), loaded.vae().spec());
        INDArray x = data.get(NDArrayIndex.interval(0, 20), NDArrayIndex.all()).dup();
        Vae back = loaded.vae();
        assertArrayEquals(vae.encode(x).mean().dup().data().asFloat(), back.encode(x).mean().dup().data().asFloat());
        assertArrayEquals(vae.encode(x).logVariance().dup().data().asFloat(), back.encode(x).logVariance().dup().data().asFloat());
        INDArray z = vae.encode(x).mean();
        assertArrayEquals(vae.decode(z).dup().data().asFloat(), back.decode(z).dup().data().asFloat());
        assertArrayEquals(vae.elbo(x, 2, 9).negElbo().dup().data().asFloat(), back.elbo(x, 2, 9).negElbo().dup().data().asFloat());
        assertArrayEquals(vae.logLikelihood(x, 50, 9).dup().data().asFloat(), back.logLikelihood(x, 50, 9).dup().data().asFloat());
        assertEquals(vae.network().getUpdater().getStateViewArray(), back.network().getUpdater().getStateViewArray());

        BadInputException exists = assertThrows(BadInputException.class,
                () -> VaeStore.saveCommitted(vae, provenance, target, files, false));
        assertTrue(exists.getMessage().contains(target.toString()));
        VaeStore.saveCommitted(vae, provenance, target, files, true);
        assertEquals(vae.spec(), VaeStore.load(target, files).vae().spec());
        assertEquals(loaded.provenance().modelSha256(), VaeStore.load(target, files).provenance().modelSha256(),
                "saving the same model again (another time stamp) keeps its identity");
    }

    @Test
    void deeplearning4jReadsTheSavedModelFileWithItsOptimiserState() throws Exception {
        HadoopFiles files = HadoopFiles.withDefaults();
        Vae vae = Vae.create(TestData.spec("relu"));
        new SingleProcessTrainer(vae, 50, 1).train(TestData.images(200, 3), null, 1, null);
        Path target = files.path(tmp.resolve("dl4j").toString());
        VaeStore.saveCommitted(vae, Provenance.of("unit", Map.of(), 1, "abc"), target, files, false);

        var net = org.deeplearning4j.util.ModelSerializer.restoreMultiLayerNetwork(
                tmp.resolve("dl4j").resolve(VaeStore.MODEL).toFile(), true);
        assertEquals(vae.network().params(), net.params());
        assertEquals(vae.network().getUpdater().getStateViewArray(), net.getUpdater().getStateViewArray());
        assertEquals(vae.network().getLayerWiseConfigurations(), net.getLayerWiseConfigurations());
    }

    @Test
    void aModelRebuiltFromItsSpecAndParametersComputesTheSame() {
        Vae vae = Vae.create(TestData.spec("tanh"));
        INDArray x = TestData.images(30, 4);
        new SingleProcessTrainer(vae, 10, 1).train(x, null, 1, null);
        Vae copy = Vae.withParameters(vae.spec(), FloatBytes.row(FloatBytes.of(vae.network().params(), "parameters")));
        assertArrayEquals(vae.elbo(x, 2, 9).negElbo().dup().data().asFloat(), copy.elbo(x, 2, 9).negElbo().dup().data().asFloat());
        copy.network().params().addi(1);
        assertTrue(vae.network().params().neq(copy.network().params()).all(), "a copy, not a view of the original");
        assertThrows(IllegalArgumentException.class,
                () -> Vae.withParameters(vae.spec(), org.nd4j.linalg.factory.Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, 1, 5)));
    }

    @Test
    void theIdentityChangesWithTheParametersOrTheOptimiserState() {
        INDArray data = TestData.images(200, 5);
        Vae a = Vae.create(TestData.spec("relu"));
        Vae b = Vae.create(TestData.spec("relu"));
        assertEquals(VaeStore.identity(a), VaeStore.identity(b), "same spec and seed: same parameters, same identity");
        new SingleProcessTrainer(b, 50, 1).train(data, null, 1, null);
        String trained = VaeStore.identity(b);
        assertTrue(!trained.equals(VaeStore.identity(a)), "training changed it");
        b.network().getUpdater().getStateViewArray().addi(1e-3f);
        assertTrue(!trained.equals(VaeStore.identity(b)), "the optimiser state is part of it");
    }

    @Test
    void refusesUncommittedOrCorruptModels() throws Exception {
        HadoopFiles files = HadoopFiles.withDefaults();
        Vae vae = Vae.create(TestData.spec("relu"));
        Provenance provenance = Provenance.of("unit", Map.of(), 1, null);

        Path uncommitted = files.path(tmp.resolve("half").toString());
        VaeStore.save(vae, provenance, uncommitted, files);
        BadInputException noSuccess = assertThrows(BadInputException.class, () -> VaeStore.load(uncommitted, files));
        assertTrue(noSuccess.getMessage().contains("_SUCCESS") && noSuccess.getMessage().contains(uncommitted.toString()),
                noSuccess.getMessage());

        Path corrupt = files.path(tmp.resolve("corrupt").toString());
        VaeStore.saveCommitted(vae, provenance, corrupt, files, false);
        java.nio.file.Path zip = tmp.resolve("corrupt").resolve(VaeStore.MODEL);
        byte[] bytes = Files.readAllBytes(zip);
        Files.write(zip, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        BadInputException bad = assertThrows(BadInputException.class, () -> VaeStore.load(corrupt, files));
        assertTrue(bad.getMessage().startsWith("corrupt model file") && bad.getMessage().contains(VaeStore.MODEL), bad.getMessage());

        BadInputException missing = assertThrows(BadInputException.class,
                () -> VaeStore.load(files.path(tmp.resolve("nothing").toString()), files));
        assertTrue(missing.getMessage().contains("nothing"));
    }

    @Test
    void vaeSurvivesJavaSerializationForSparkClosures() throws Exception {
        Vae vae = Vae.create(TestData.spec("relu"));
        new SingleProcessTrainer(vae, 50, 1).train(TestData.images(200, 8), null, 1, null);
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(vae);
        }
        Vae back;
        try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
            back = (Vae) in.readObject();
        }
        INDArray x = TestData.images(10, 9);
        assertEquals(vae.spec(), back.spec());
        assertArrayEquals(vae.encode(x).mean().dup().data().asFloat(), back.encode(x).mean().dup().data().asFloat());
        assertArrayEquals(vae.logLikelihood(x, 20, 4).dup().data().asFloat(), back.logLikelihood(x, 20, 4).dup().data().asFloat());
    }
}

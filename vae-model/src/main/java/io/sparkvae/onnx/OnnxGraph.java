package io.sparkvae.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import onnx.Onnx.AttributeProto;
import onnx.Onnx.GraphProto;
import onnx.Onnx.ModelProto;
import onnx.Onnx.NodeProto;
import onnx.Onnx.OperatorSetIdProto;
import onnx.Onnx.StringStringEntryProto;
import onnx.Onnx.TensorProto;
import onnx.Onnx.TensorShapeProto;
import onnx.Onnx.TypeProto;
import onnx.Onnx.ValueInfoProto;
import org.nd4j.shade.protobuf.ByteString;

/**
 * Builds one ONNX graph of float matrices: inputs and outputs whose first dimension is the batch (dynamic, named
 * {@value #BATCH}), weights as initializers, and the few standard operators a dense network needs. The message classes
 * are ONNX's own schema compiled for protobuf-java (shipped in nd4j-api); nothing native runs.
 */
final class OnnxGraph {
    /** The ONNX operator set the graphs use: Gemm, Relu, Tanh, Sigmoid and Split with its sizes as an input. */
    static final int OPSET = 13;
    /** IR version 7 is the one that came with opset 13 (ONNX 1.8); every runtime that runs opset 13 reads it. */
    static final long IR_VERSION = 7;
    /** The name of the dynamic batch dimension. */
    static final String BATCH = "N";

    private final GraphProto.Builder graph = GraphProto.newBuilder();
    private int nodes;

    OnnxGraph(String name) {
        graph.setName(name);
    }

    /** A graph input of shape [N, columns]. */
    OnnxGraph input(String name, int columns) {
        graph.addInput(matrix(name, columns));
        return this;
    }

    /** A graph output of shape [N, columns]. */
    OnnxGraph output(String name, int columns) {
        graph.addOutput(matrix(name, columns));
        return this;
    }

    /** A float initializer of shape {@code dims}, its values in row-major order. */
    OnnxGraph weights(String name, float[] values, long... dims) {
        ByteBuffer bytes = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN); // ONNX's raw_data order
        bytes.asFloatBuffer().put(values);
        graph.addInitializer(TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT)
                .addAllDims(java.util.Arrays.stream(dims).boxed().toList()).setRawData(ByteString.copyFrom(bytes)));
        return this;
    }

    /** A 1-D int64 initializer (sizes an operator takes as an input). */
    OnnxGraph longs(String name, long... values) {
        graph.addInitializer(TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT64)
                .addDims(values.length).addAllInt64Data(java.util.Arrays.stream(values).boxed().toList()));
        return this;
    }

    /** {@code out = in W + b} (Gemm without transposes; b broadcasts over the rows). */
    OnnxGraph gemm(String in, String w, String b, String out) {
        return node("Gemm", new String[] {in, w, b}, new String[] {out});
    }

    /** An element-wise operator: {@code Relu}, {@code Tanh} or {@code Sigmoid}. */
    OnnxGraph unary(String op, String in, String out) {
        return node(op, new String[] {in}, new String[] {out});
    }

    /** Splits {@code in}'s columns into {@code outs} by the sizes held in the int64 initializer {@code sizes}. */
    OnnxGraph splitColumns(String in, String sizes, String... outs) {
        NodeProto.Builder n = NodeProto.newBuilder().setOpType("Split").setName("Split_" + nodes++).addInput(in).addInput(sizes)
                .addAttribute(AttributeProto.newBuilder().setName("axis").setType(AttributeProto.AttributeType.INT).setI(1));
        for (String o : outs) {
            n.addOutput(o);
        }
        graph.addNode(n);
        return this;
    }

    private OnnxGraph node(String op, String[] ins, String[] outs) {
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(op + "_" + nodes++);
        for (String i : ins) {
            n.addInput(i);
        }
        for (String o : outs) {
            n.addOutput(o);
        }
        graph.addNode(n);
        return this;
    }

    /** The model: this graph with the opset, the producer and {@code metadata} (ONNX's free-form key/value pairs). */
    ModelProto model(String producerVersion, String doc, Map<String, String> metadata) {
        ModelProto.Builder m = ModelProto.newBuilder().setIrVersion(IR_VERSION).setProducerName("spark-vae")
                .setProducerVersion(producerVersion).setDocString(doc).setGraph(graph)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET));
        metadata.forEach((k, v) -> m.addMetadataProps(StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
        return m.build();
    }

    private static ValueInfoProto matrix(String name, int columns) {
        TensorShapeProto shape = TensorShapeProto.newBuilder()
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam(BATCH))
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(columns)).build();
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT).setShape(shape))).build();
    }
}

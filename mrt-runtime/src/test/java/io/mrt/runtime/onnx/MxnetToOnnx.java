package io.mrt.runtime.onnx;

import com.google.protobuf.ByteString;
import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Entry;
import io.mrt.api.graph.Model;
import io.mrt.api.graph.Node;
import io.mrt.onnx.proto.OnnxProto.AttributeProto;
import io.mrt.onnx.proto.OnnxProto.GraphProto;
import io.mrt.onnx.proto.OnnxProto.ModelProto;
import io.mrt.onnx.proto.OnnxProto.NodeProto;
import io.mrt.onnx.proto.OnnxProto.OperatorSetIdProto;
import io.mrt.onnx.proto.OnnxProto.TensorProto;
import io.mrt.onnx.proto.OnnxProto.TensorShapeProto;
import io.mrt.onnx.proto.OnnxProto.TypeProto;
import io.mrt.onnx.proto.OnnxProto.ValueInfoProto;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A small exporter of the shared MXNet classifiers to ONNX, written the way PyTorch's exporter
 * writes the same layers: {@code Conv}, {@code BatchNormalization}, {@code Relu}, {@code Add},
 * {@code MaxPool} / {@code GlobalAveragePool}, {@code Flatten} + {@code Gemm(transB=1)} for
 * {@code FullyConnected}, and MXNet's {@code Flatten} as the
 * {@code Shape -> Gather -> Unsqueeze -> Concat -> Reshape} chain of {@code x.view(x.size(0), -1)}.
 * The batch dimension of the input is symbolic ({@code N}). Output is deterministic.
 */
final class MxnetToOnnx {
  private final GraphProto.Builder g = GraphProto.newBuilder();
  private final Map<Entry, String> names = new HashMap<>();
  private final Model model;
  private final int opset;
  private int counter;

  private MxnetToOnnx(Model model, int opset) {
    this.model = model;
    this.opset = opset;
  }

  /** The ONNX model of {@code model} whose input {@code input} has shape (N, dims...). */
  static ModelProto export(Model model, String graphName, int opset, long[] inputDims) {
    return new MxnetToOnnx(model, opset).run(graphName, inputDims);
  }

  private ModelProto run(String graphName, long[] inputDims) {
    g.setName(graphName);
    for (Node n : model.graph().nodes()) {
      if (n.isVariable()) {
        if (model.isParam(n)) {
          INDArray v = model.params().get(n.name());
          g.addInitializer(tensor(n.name(), v));
        } else {
          g.addInput(valueInfo(n.name(), inputDims));
        }
        names.put(n.out(), n.name());
        continue;
      }
      String out = convert(n);
      names.put(n.out(), out);
    }
    for (Entry h : model.graph().heads()) {
      g.addOutput(valueInfo(names.get(h), null));
    }
    return ModelProto.newBuilder().setIrVersion(opset >= 13 ? 7 : 6).setProducerName("mrt-test-exporter")
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset)).setGraph(g).build();
  }

  private String in(Node n, int i) {
    return names.get(n.input(i));
  }

  private String convert(Node n) {
    Attrs a = n.attrs();
    String name = n.name();
    switch (n.op()) {
      case "Convolution" -> {
        int[] k = a.getInts("kernel");
        NodeProto.Builder b = node("Conv", name, in(n, 0), in(n, 1));
        if (!a.getBool("no_bias", false)) {
          b.addInput(in(n, 2));
        }
        int[] p = a.getInts("pad", new int[k.length]);
        long[] pads = new long[2 * k.length];
        for (int i = 0; i < k.length; i++) {
          pads[i] = p.length == 0 ? 0 : p[i];
          pads[i + k.length] = pads[i];
        }
        b.addAttribute(ints("kernel_shape", toLongs(k))).addAttribute(ints("pads", pads))
            .addAttribute(ints("strides", toLongs(a.getInts("stride", ones(k.length)), k.length)))
            .addAttribute(ints("dilations", toLongs(a.getInts("dilate", ones(k.length)), k.length)))
            .addAttribute(intAttr("group", a.getInt("num_group", 1)));
        return emit(b, name);
      }
      case "BatchNorm" -> {
        String gamma = in(n, 1);
        if (a.getBool("fix_gamma", true)) {
          INDArray ones = model.params().get(n.input(1).node().name()).like().assign(1);
          gamma = name + "_fixed_gamma";
          g.addInitializer(tensor(gamma, ones));
        }
        NodeProto.Builder b = node("BatchNormalization", name, in(n, 0), gamma, in(n, 2), in(n, 3), in(n, 4))
            .addAttribute(floatAttr("epsilon", a.getDouble("eps", 1e-3)))
            .addAttribute(floatAttr("momentum", a.getDouble("momentum", 0.9)));
        return emit(b, name);
      }
      case "Activation" -> {
        String t = a.getString("act_type");
        if (!t.equals("relu")) {
          throw new IllegalArgumentException("activation " + t + " is not exported");
        }
        return emit(node("Relu", name, in(n, 0)), name);
      }
      case "elemwise_add" -> {
        return emit(node("Add", name, in(n, 0), in(n, 1)), name);
      }
      case "Pooling" -> {
        boolean global = a.getBool("global_pool", false);
        String type = a.getString("pool_type", "max");
        if (global) {
          return emit(node(type.equals("avg") ? "GlobalAveragePool" : "GlobalMaxPool", name, in(n, 0)), name);
        }
        int[] k = a.getInts("kernel");
        int[] p = a.getInts("pad", new int[0]);
        long[] pads = new long[4];
        for (int i = 0; i < 2; i++) {
          pads[i] = p.length == 0 ? 0 : p[i];
          pads[i + 2] = pads[i];
        }
        NodeProto.Builder b = node(type.equals("avg") ? "AveragePool" : "MaxPool", name, in(n, 0))
            .addAttribute(ints("kernel_shape", toLongs(k))).addAttribute(ints("pads", pads))
            .addAttribute(ints("strides", toLongs(a.getInts("stride", ones(2)), 2)));
        if (a.getString("pooling_convention", "valid").equals("full")) {
          b.addAttribute(intAttr("ceil_mode", 1));
        }
        return emit(b, name);
      }
      case "Flatten", "flatten" -> {
        // x.view(x.size(0), -1) as PyTorch writes it
        String shape = emit(node("Shape", name + "_shape", in(n, 0)), name + "_shape");
        String zero = constInt(name + "_zero", 0, true);
        String batch = emit(node("Gather", name + "_gather", shape, zero).addAttribute(intAttr("axis", 0)),
            name + "_gather");
        NodeProto.Builder u = node("Unsqueeze", name + "_unsqueeze", batch);
        if (opset >= 13) {
          u.addInput(constInt(name + "_axes", 0, false));
        } else {
          u.addAttribute(ints("axes", new long[] {0}));
        }
        String b0 = emit(u, name + "_unsqueeze");
        String rest = constInt(name + "_rest", -1, false);
        String target = emit(node("Concat", name + "_concat", b0, rest).addAttribute(intAttr("axis", 0)),
            name + "_concat");
        return emit(node("Reshape", name, in(n, 0), target), name);
      }
      case "FullyConnected" -> {
        String x = in(n, 0);
        String producer = n.input(0).node().op();
        if (!producer.equals("FullyConnected") && !producer.equals("Flatten") && !producer.equals("flatten")) {
          x = emit(node("Flatten", name + "_flatten", x).addAttribute(intAttr("axis", 1)), name + "_flatten");
        }
        NodeProto.Builder b = node("Gemm", name, x, in(n, 1));
        if (!a.getBool("no_bias", false)) {
          b.addInput(in(n, 2));
        }
        b.addAttribute(floatAttr("alpha", 1)).addAttribute(floatAttr("beta", 1)).addAttribute(intAttr("transB", 1));
        return emit(b, name);
      }
      default -> throw new IllegalArgumentException("op " + n.op() + " (node " + name + ") is not exported");
    }
  }

  private NodeProto.Builder node(String op, String name, String... inputs) {
    NodeProto.Builder b = NodeProto.newBuilder().setOpType(op).setName(name + "_" + op);
    for (String i : inputs) {
      b.addInput(i);
    }
    return b;
  }

  private String emit(NodeProto.Builder b, String out) {
    String o = out + "_out" + (counter++);
    g.addNode(b.addOutput(o));
    return o;
  }

  private String constInt(String name, long v, boolean scalar) {
    TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT64_VALUE)
        .addInt64Data(v);
    if (!scalar) {
      t.addDims(1);
    }
    g.addNode(NodeProto.newBuilder().setOpType("Constant").setName(name + "_Constant").addOutput(name)
        .addAttribute(AttributeProto.newBuilder().setName("value").setType(AttributeProto.AttributeType.TENSOR)
            .setT(t)));
    return name;
  }

  private static TensorProto tensor(String name, INDArray v) {
    float[] f = v.dup('c').data().asFloat();
    ByteBuffer b = ByteBuffer.allocate(4 * f.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float x : f) {
      b.putFloat(x);
    }
    TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE)
        .setRawData(ByteString.copyFrom(b.array()));
    for (long d : v.shape()) {
      t.addDims(d);
    }
    return t.build();
  }

  private static ValueInfoProto valueInfo(String name, long[] dims) {
    TypeProto.Tensor.Builder tt = TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE);
    if (dims != null) {
      TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
      s.addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("N"));
      for (long d : dims) {
        s.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
      }
      tt.setShape(s);
    }
    return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(tt)).build();
  }

  private static AttributeProto ints(String name, long[] v) {
    AttributeProto.Builder b = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
    for (long x : v) {
      b.addInts(x);
    }
    return b.build();
  }

  private static AttributeProto intAttr(String name, long v) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(v).build();
  }

  private static AttributeProto floatAttr(String name, double v) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF((float) v).build();
  }

  private static int[] ones(int n) {
    int[] v = new int[n];
    java.util.Arrays.fill(v, 1);
    return v;
  }

  private static long[] toLongs(int[] v) {
    return java.util.Arrays.stream(v).asLongStream().toArray();
  }

  private static long[] toLongs(int[] v, int n) {
    return v.length == 0 ? toLongs(ones(n)) : toLongs(v);
  }
}

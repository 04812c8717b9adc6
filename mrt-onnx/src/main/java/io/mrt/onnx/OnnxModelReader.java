package io.mrt.onnx;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Entry;
import io.mrt.api.graph.Graph;
import io.mrt.api.graph.Model;
import io.mrt.api.graph.Node;
import io.mrt.onnx.proto.OnnxProto.AttributeProto;
import io.mrt.onnx.proto.OnnxProto.GraphProto;
import io.mrt.onnx.proto.OnnxProto.ModelProto;
import io.mrt.onnx.proto.OnnxProto.NodeProto;
import io.mrt.onnx.proto.OnnxProto.OperatorSetIdProto;
import io.mrt.onnx.proto.OnnxProto.TensorProto;
import io.mrt.onnx.proto.OnnxProto.TensorShapeProto;
import io.mrt.onnx.proto.OnnxProto.ValueInfoProto;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Reads an ONNX {@code ModelProto} file into the project's graph IR.
 *
 * <ul>
 *   <li>Opsets {@value #MIN_OPSET} to {@value #MAX_OPSET} of the default domain (the onnx.proto compiled here is ONNX
 *       1.12's); other domains are refused by name.
 *   <li>Initializers and {@code Constant} nodes become parameters; graph inputs that are not
 *       initializers become input variables, with {@code __shape__} when every dimension is fixed.
 *   <li>Every node becomes an op named {@code onnx_<op_type>} ({@link #OP_PREFIX}), with its
 *       attributes as strings ({@code (1, 2)} for lists), {@code opset} set to the model's opset,
 *       and {@code absent_inputs} listing the positions of empty (left-out optional) inputs. The
 *       ONNX op set maps these ops onto the built-in ones in prepare.
 *   <li>External tensor data is read only from a file beside the model.
 * </ul>
 *
 * Every error names the file and the node or tensor, and says what was expected.
 */
public final class OnnxModelReader {
  /** The op-name prefix of ONNX nodes in the graph IR. */
  public static final String OP_PREFIX = "onnx_";
  /** The oldest default-domain opset read. */
  public static final int MIN_OPSET = 6;
  /** The newest default-domain opset that the onnx.proto compiled here (ONNX 1.12) defines. */
  public static final int MAX_OPSET = 17;
  /** The deepest nesting of protobuf messages accepted. */
  static final int MAX_DEPTH = 64;

  private final Path file;
  private final Path dir;
  private final Map<String, Entry> tensors = new HashMap<>();
  private final Map<String, INDArray> params = new LinkedHashMap<>();
  private final Set<String> usedNames = new HashSet<>();

  private OnnxModelReader(Path file) {
    this.file = file;
    Path parent = file.toAbsolutePath().getParent();
    this.dir = parent == null ? Path.of("").toAbsolutePath() : parent;
  }

  /** Reads {@code file}; any problem is an {@link OnnxFormatException} naming the file and the node. */
  public static Model read(Path file) {
    return new OnnxModelReader(file).load(parse(file));
  }

  /** The opset of the default domain that {@code file} declares (checked as {@link #read} checks it). */
  public static int opsetOf(Path file) {
    return new OnnxModelReader(file).opset(parse(file));
  }

  static ModelProto parse(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new OnnxFormatException(file + ": no such file");
    }
    try (InputStream in = Files.newInputStream(file)) {
      long size = Files.size(file);
      if (size > OnnxTensors.MAX_FILE_BYTES) {
        throw new OnnxFormatException(file + ": " + size + " bytes, more than the " + OnnxTensors.MAX_FILE_BYTES
            + " bytes a protobuf message can hold (large models keep their weights as external data)");
      }
      if (size == 0) {
        throw new OnnxFormatException(file + ": empty file, expected an ONNX ModelProto");
      }
      CodedInputStream cin = CodedInputStream.newInstance(in);
      cin.setSizeLimit((int) size);
      cin.setRecursionLimit(MAX_DEPTH);
      ModelProto m = ModelProto.parseFrom(cin);
      if (!m.hasGraph()) {
        throw new OnnxFormatException(file + ": not an ONNX model: no graph (expected a ModelProto)");
      }
      return m;
    } catch (InvalidProtocolBufferException e) {
      throw new OnnxFormatException(file + ": not a valid ONNX ModelProto: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new OnnxFormatException(file + ": cannot read: " + e.getMessage(), e);
    }
  }

  private int opset(ModelProto m) {
    int opset = -1;
    for (OperatorSetIdProto o : m.getOpsetImportList()) {
      if (o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx")) {
        opset = (int) Math.min(Integer.MAX_VALUE, o.getVersion());
      }
    }
    if (opset < 0) {
      if (m.getIrVersion() >= 3 || m.getOpsetImportCount() > 0) {
        throw new OnnxFormatException(file + ": no opset_import for the default ONNX domain");
      }
      opset = 1;
    }
    if (opset < MIN_OPSET || opset > MAX_OPSET) {
      throw new OnnxFormatException(file + ": opset " + opset + " of the default domain is not supported (expected "
          + MIN_OPSET + " to " + MAX_OPSET + "; re-export the model with opset_version in that range)");
    }
    return opset;
  }

  private Model load(ModelProto m) {
    int opset = opset(m);
    GraphProto g = m.getGraph();
    for (TensorProto t : g.getInitializerList()) {
      String name = t.getName();
      if (name.isEmpty()) {
        throw new OnnxFormatException(file + ": an initializer has no name");
      }
      if (params.containsKey(name)) {
        throw new OnnxFormatException(file + ": initializer " + name + " is defined twice");
      }
      addParam(name, OnnxTensors.toArray(t, file, "initializer " + name, dir));
    }
    if (g.getSparseInitializerCount() > 0) {
      throw new OnnxFormatException(file + ": sparse initializers are not supported (found "
          + g.getSparseInitializerCount() + ")");
    }
    for (ValueInfoProto in : g.getInputList()) {
      if (tensors.containsKey(in.getName())) {
        continue; // an initializer listed among the inputs (IR < 4)
      }
      if (in.getName().isEmpty()) {
        throw new OnnxFormatException(file + ": a graph input has no name");
      }
      Attrs attrs = Attrs.empty();
      long[] shape = fixedShape(in);
      if (shape != null) {
        attrs = Attrs.of("__shape__", tuple(shape));
      }
      Node v = Node.variable(uniqueName(in.getName()), attrs);
      tensors.put(in.getName(), v.out());
    }
    for (int i = 0; i < g.getNodeCount(); i++) {
      addNode(g.getNode(i), i, opset);
    }
    List<Entry> heads = new ArrayList<>();
    for (ValueInfoProto out : g.getOutputList()) {
      Entry e = tensors.get(out.getName());
      if (e == null) {
        throw new OnnxFormatException(file + ": graph output " + out.getName() + " is produced by no node");
      }
      heads.add(e);
    }
    if (heads.isEmpty()) {
      throw new OnnxFormatException(file + ": the graph has no outputs");
    }
    Graph graph = new Graph(heads);
    Map<String, INDArray> used = new LinkedHashMap<>();
    for (Node v : graph.variables()) {
      INDArray p = params.get(v.name());
      if (p != null) {
        used.put(v.name(), p);
      }
    }
    return new Model(graph, used);
  }

  private void addParam(String tensorName, INDArray value) {
    String name = uniqueName(tensorName);
    params.put(name, value);
    tensors.put(tensorName, Node.variable(name, Attrs.of("__shape__", tuple(value.shape()))).out());
  }

  private void addNode(NodeProto n, int index, int opset) {
    String op = n.getOpType();
    String label = "node " + (n.getName().isEmpty() ? "#" + index : n.getName()) + " (" + op + ")";
    if (!n.getDomain().isEmpty() && !n.getDomain().equals("ai.onnx")) {
      throw new OnnxFormatException(file + ": " + label + ": domain '" + n.getDomain()
          + "' is not supported (expected the default ONNX domain)");
    }
    if (op.isEmpty()) {
      throw new OnnxFormatException(file + ": node #" + index + " has no op_type");
    }
    if (op.equals("Constant")) {
      if (n.getOutputCount() != 1) {
        throw new OnnxFormatException(file + ": " + label + ": expected 1 output, found " + n.getOutputCount());
      }
      addParam(n.getOutput(0), constantValue(n, label));
      return;
    }
    if (n.getOutputCount() == 0) {
      throw new OnnxFormatException(file + ": " + label + ": no outputs");
    }
    List<Entry> inputs = new ArrayList<>();
    List<Integer> absent = new ArrayList<>();
    for (int i = 0; i < n.getInputCount(); i++) {
      String in = n.getInput(i);
      if (in.isEmpty()) {
        absent.add(i);
        continue;
      }
      Entry e = tensors.get(in);
      if (e == null) {
        throw new OnnxFormatException(file + ": " + label + ": input " + i + " '" + in
            + "' is not a graph input, an initializer or an earlier node's output (nodes must be in topological order)");
      }
      inputs.add(e);
    }
    Map<String, String> attrs = new LinkedHashMap<>();
    for (AttributeProto a : n.getAttributeList()) {
      attrs.put(a.getName(), attrString(a, label));
    }
    attrs.put("opset", Integer.toString(opset));
    if (!absent.isEmpty()) {
      attrs.put("absent_inputs", tuple(absent.stream().mapToLong(Integer::longValue).toArray()));
    }
    String base = !n.getName().isEmpty() ? n.getName() : n.getOutput(0).isEmpty() ? op + "_" + index : n.getOutput(0);
    if (!isOpName(op)) {
      throw new OnnxFormatException(file + ": " + label + ": op_type '" + op + "' is not a valid operator name");
    }
    Node node = new Node(OP_PREFIX + op, uniqueName(base), Attrs.of(attrs), inputs, n.getOutputCount());
    for (int i = 0; i < n.getOutputCount(); i++) {
      String out = n.getOutput(i);
      if (out.isEmpty()) {
        continue;
      }
      if (tensors.containsKey(out)) {
        throw new OnnxFormatException(file + ": " + label + ": output '" + out + "' is already defined");
      }
      tensors.put(out, node.out(i));
    }
  }

  private static boolean isOpName(String op) {
    return op.matches("[A-Za-z_][A-Za-z0-9_]*");
  }

  private INDArray constantValue(NodeProto n, String label) {
    if (n.getAttributeCount() != 1) {
      throw new OnnxFormatException(file + ": " + label + ": expected exactly one value attribute, found "
          + n.getAttributeCount());
    }
    AttributeProto a = n.getAttribute(0);
    return switch (a.getName()) {
      case "value" -> OnnxTensors.toArray(a.getT(), file, label + " value", dir);
      case "value_float" -> Nd4j.scalar(a.getF());
      case "value_floats" -> {
        float[] v = new float[a.getFloatsCount()];
        for (int i = 0; i < v.length; i++) {
          v[i] = a.getFloats(i);
        }
        yield v.length == 0 ? Nd4j.create(org.nd4j.linalg.api.buffer.DataType.FLOAT, 0) : Nd4j.createFromArray(v);
      }
      case "value_int" -> Nd4j.scalar(a.getI());
      case "value_ints" -> {
        long[] v = a.getIntsList().stream().mapToLong(Long::longValue).toArray();
        yield v.length == 0 ? Nd4j.create(org.nd4j.linalg.api.buffer.DataType.LONG, 0) : Nd4j.createFromArray(v);
      }
      default -> throw new OnnxFormatException(file + ": " + label + ": constant attribute '" + a.getName()
          + "' is not supported (expected value, value_float(s) or value_int(s))");
    };
  }

  private String attrString(AttributeProto a, String label) {
    String where = file + ": " + label + ": attribute '" + a.getName() + "'";
    AttributeProto.AttributeType type = a.getType();
    if (type == AttributeProto.AttributeType.UNDEFINED) {
      // IR < 3 files leave the type out: infer it from the field that is set
      type = a.hasF() ? AttributeProto.AttributeType.FLOAT : a.hasI() ? AttributeProto.AttributeType.INT
          : a.hasS() ? AttributeProto.AttributeType.STRING : a.getIntsCount() > 0 ? AttributeProto.AttributeType.INTS
          : a.getFloatsCount() > 0 ? AttributeProto.AttributeType.FLOATS : AttributeProto.AttributeType.UNDEFINED;
    }
    return switch (type) {
      case INT -> Long.toString(a.getI());
      case FLOAT -> floatString(a.getF());
      case STRING -> a.getS().toString(StandardCharsets.UTF_8);
      case INTS -> tuple(a.getIntsList().stream().mapToLong(Long::longValue).toArray());
      case FLOATS -> {
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < a.getFloatsCount(); i++) {
          b.append(i > 0 ? ", " : "").append(floatString(a.getFloats(i)));
        }
        yield b.append(a.getFloatsCount() == 1 ? ",)" : ")").toString();
      }
      case STRINGS -> {
        List<String> s = new ArrayList<>();
        a.getStringsList().forEach(x -> s.add(x.toString(StandardCharsets.UTF_8)));
        yield "(" + String.join(", ", s) + (s.size() == 1 ? ",)" : ")");
      }
      case TENSOR -> {
        INDArray t = OnnxTensors.toArray(a.getT(), file, label + " attribute " + a.getName(), dir);
        if (t.length() != 1) {
          throw new OnnxFormatException(where + ": only one-element tensor attributes are supported, found "
              + t.length() + " elements");
        }
        yield floatString(t.getDouble(0));
      }
      case GRAPH, GRAPHS -> throw new OnnxFormatException(where + ": subgraphs (If, Loop, Scan) are not supported");
      default -> throw new OnnxFormatException(where + ": attribute type " + type + " is not supported");
    };
  }

  private static String floatString(double v) {
    if (Double.isNaN(v)) {
      return "nan";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "inf" : "-inf";
    }
    return Float.toString((float) v).toLowerCase(Locale.ROOT);
  }

  private long[] fixedShape(ValueInfoProto v) {
    if (!v.hasType() || !v.getType().hasTensorType() || !v.getType().getTensorType().hasShape()) {
      return null;
    }
    TensorShapeProto s = v.getType().getTensorType().getShape();
    long[] d = new long[s.getDimCount()];
    for (int i = 0; i < d.length; i++) {
      TensorShapeProto.Dimension dim = s.getDim(i);
      if (!dim.hasDimValue() || dim.getDimValue() <= 0) {
        return null;
      }
      d[i] = dim.getDimValue();
    }
    return d.length == 0 ? null : d;
  }

  private String uniqueName(String base) {
    String name = base;
    for (int k = 1; !usedNames.add(name); k++) {
      name = base + "_" + k;
    }
    return name;
  }

  /** {@code (1, 2)}, {@code (3,)}, {@code ()}. */
  static String tuple(long[] v) {
    StringBuilder b = new StringBuilder("(");
    for (int i = 0; i < v.length; i++) {
      b.append(i > 0 ? ", " : "").append(v[i]);
    }
    return b.append(v.length == 1 ? ",)" : ")").toString();
  }
}

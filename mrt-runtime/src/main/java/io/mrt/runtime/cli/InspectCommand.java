package io.mrt.runtime.cli;

import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Entry;
import io.mrt.api.graph.Model;
import io.mrt.api.graph.Node;
import io.mrt.api.graph.Shape;
import io.mrt.api.registry.Hook;
import io.mrt.runtime.MrtException;
import io.mrt.runtime.exec.fp.ShapeInference;
import io.mrt.runtime.io.mxnet.ModelFiles;
import io.mrt.runtime.io.mxnet.MxnetModels;
import io.mrt.runtime.io.onnx.OnnxModels;
import io.mrt.runtime.pass.ImportOpsPass;
import io.mrt.runtime.registry.OpTable;
import io.mrt.runtime.registry.ResolvedOp;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.ndarray.INDArray;
import io.mrt.runtime.plugin.LoadedPlugins;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code mrt inspect MODEL}: for a compiled CVM model folder ({@code symbol} + {@code params}),
 * loads it with the runtime's checks and prints its input, outputs, storage plan and operators;
 * otherwise loads an MXNet model, checks it (every parameter present with its
 * declared shape, every op implemented, shapes consistent), then prints the inputs and outputs, one
 * row per op node with its output shape, the parameter count, and per op which stage hooks are
 * registered. Any problem is one error naming the file and the node or byte offset (exit 2).
 */
@Command(name = "inspect", description = "Print a model's ops, shapes, parameter count and the stage hooks its ops lack; "
    + "for a compiled CVM model folder, its storage plan (bytes per image) and operators.")
final class InspectCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "MODEL",
      description = "The symbol JSON, the model prefix (PREFIX.json or PREFIX-symbol.json), a folder holding one "
          + "model, an ONNX file (.onnx), or a compiled CVM model folder (symbol + params).")
  Path model;

  @Option(names = "--input-shape", paramLabel = "SHAPE",
      description = "The input shape, e.g. 1,3,32,32 or (1, 3, 32, 32) (default: the input's __shape__).")
  String inputShape;

  @Mixin
  PluginOptions plugins;

  @Override
  public Integer call() {
    if (isCvmModel(model)) {
      return inspectCvm(spec.commandLine().getOut(), model);
    }
    try (LoadedPlugins loaded = plugins.load(null)) {
      return inspect(loaded.opTable(Map.of()));
    }
  }

  private int inspect(OpTable ops) {
    opsForImport = ops;
    boolean onnx = OnnxModels.isOnnx(model);
    ModelFiles files = onnx ? new ModelFiles(model, model) : ModelFiles.locate(model);
    Model read = onnx ? OnnxModels.load(model) : MxnetModels.loadRunnable(files);
    Model m = onnx ? importOnnx(read, files) : read;
    Map<Node, ResolvedOp> resolved = new LinkedHashMap<>();
    for (Node n : m.graph().ops()) {
      try {
        resolved.put(n, ops.resolve(n));
      } catch (MrtException e) {
        throw new MrtException(files.symbol() + ": " + e.getMessage(), e);
      }
    }
    List<Node> inputs = m.graph().variables().stream().filter(v -> !m.isParam(v)).toList();
    Optional<Shape> given = Optional.ofNullable(inputShape).map(InspectCommand::parseShape);
    if (given.isPresent() && inputs.size() != 1) {
      throw new MrtException(files.symbol() + ": --input-shape gives one shape, the model has " + inputs.size()
          + " inputs " + inputs.stream().map(Node::name).toList());
    }
    Map<String, Shape> inputShapes = new LinkedHashMap<>();
    given.ifPresent(s -> inputShapes.put(inputs.get(0).name(), s));
    boolean shapesKnown = true;
    for (Node in : inputs) {
      if (!inputShapes.containsKey(in.name()) && hintShape(in).isEmpty()) {
        shapesKnown = false;
      }
    }
    Map<Entry, Shape> shapes = Map.of();
    if (shapesKnown) {
      try {
        shapes = ShapeInference.infer(m, inputShapes, ops);
      } catch (MrtException e) {
        throw new MrtException(files.symbol() + ": " + e.getMessage(), e);
      }
    }
    print(spec.commandLine().getOut(), files, m, inputs, shapes, shapesKnown, resolved);
    return Main.OK;
  }

  /** Whether {@code dir} is a compiled CVM model folder (it holds {@code symbol} and {@code params}). */
  static boolean isCvmModel(Path dir) {
    return java.nio.file.Files.isDirectory(dir)
        && java.nio.file.Files.isRegularFile(dir.resolve(io.mrt.runtime.io.cvm.CvmModelReader.SYMBOL))
        && java.nio.file.Files.isRegularFile(dir.resolve(io.mrt.runtime.io.cvm.CvmModelReader.PARAMS));
  }

  /**
   * A compiled CVM model: loads it with every load-time check, then prints its input and outputs,
   * node and entry counts, the storage plan (storage ids and pool bytes with the plan and with one
   * storage id per entry; the part held by parameters; activation bytes per image at the compiled
   * batch), the gas and the operators used.
   */
  private static int inspectCvm(PrintWriter out, Path dir) {
    io.mrt.runtime.io.cvm.CvmModel m = io.mrt.runtime.io.cvm.CvmModelReader.read(dir);
    io.mrt.runtime.exec.cvm.CvmExecutor e = io.mrt.runtime.exec.cvm.CvmExecutor.load(m, dir.toString(),
        io.mrt.runtime.exec.cvm.CvmExecutor.Options.threads(1));
    io.mrt.runtime.io.cvm.CvmStoragePlan.Summary s = io.mrt.runtime.io.cvm.CvmStoragePlan.summarize(m);
    List<io.mrt.runtime.io.cvm.CvmNode> nodes = m.graph().nodes();
    long variables = nodes.stream().filter(io.mrt.runtime.io.cvm.CvmNode::isVariable).count();
    Map<String, Integer> opCounts = new java.util.TreeMap<>();
    for (io.mrt.runtime.io.cvm.CvmNode n : nodes) {
      if (!n.isVariable()) {
        opCounts.merge(n.funcName(), 1, Integer::sum);
      }
    }
    out.println("cvm model   " + dir);
    out.println("version     " + m.graph().effectiveVersion());
    out.println("input       data " + java.util.Arrays.toString(e.inputShape()) + " precision " + e.inputPrecision());
    for (int i = 0; i < e.outputCount(); i++) {
      out.println("output      " + i + " " + java.util.Arrays.toString(e.outputShape(i)) + " precision "
          + e.outputPrecision(i));
    }
    out.println("nodes       " + nodes.size() + " (" + variables + " variables, " + (nodes.size() - variables)
        + " operators), " + s.entries() + " entries");
    out.println(String.format(Locale.ROOT, "storage     %d storage ids, %,d bytes (without plan: %d ids, %,d bytes)",
        s.storageIds(), s.bytes(), s.entries(), s.unplannedBytes()));
    out.println(String.format(Locale.ROOT, "params      %,d bytes of the storage", s.paramBytes()));
    out.println(String.format(Locale.ROOT, "activations %,d bytes, %,d per image at batch %d (without plan: %,d, "
        + "%,d per image)", s.activationBytes(), s.activationBytesPerImage(), s.batch(), s.unplannedActivationBytes(),
        s.unplannedActivationBytesPerImage()));
    out.println(String.format(Locale.ROOT, "gas         %,d", e.gas()));
    List<String> ops = new ArrayList<>();
    opCounts.forEach((k, v) -> ops.add(k + " " + v));
    out.println("operators   " + String.join(", ", ops));
    out.flush();
    return Main.OK;
  }

  /**
   * An ONNX model with a known input shape (--input-shape, else the file's fixed shape) is shown
   * imported: its ops mapped onto the built-in ops as the prepare stage maps them. Without a shape
   * its ONNX ops are listed as read.
   */
  private Model importOnnx(Model m, ModelFiles files) {
    List<Node> ins = m.graph().variables().stream().filter(v -> !m.isParam(v)).toList();
    Optional<Shape> shape = Optional.ofNullable(inputShape).map(InspectCommand::parseShape);
    if (shape.isEmpty() && ins.size() == 1) {
      shape = hintShape(ins.get(0));
    }
    if (shape.isEmpty() || ins.size() != 1) {
      return m;
    }
    try {
      return ImportOpsPass.importModel(m, shape.get(), opsForImport);
    } catch (MrtException e) {
      throw new MrtException(files.symbol() + ": " + e.getMessage(), e);
    }
  }

  private OpTable opsForImport;

  private static Optional<Shape> hintShape(Node input) {
    return input.attrs().raw("__shape__").map(h -> Shape.of(Attrs.parseLongs("__shape__", h)))
        .filter(s -> s.rank() > 0 && java.util.Arrays.stream(s.dims()).allMatch(d -> d > 0));
  }

  static Shape parseShape(String text) {
    String t = text.trim();
    if (!t.startsWith("(") && !t.startsWith("[")) {
      t = "(" + t + ")";
    }
    long[] d;
    try {
      d = Attrs.parseLongs("--input-shape", t);
    } catch (IllegalArgumentException e) {
      throw new MrtException("--input-shape: expected dimensions such as 1,3,32,32, found '" + text + "'");
    }
    if (d.length == 0 || java.util.Arrays.stream(d).anyMatch(x -> x <= 0)) {
      throw new MrtException("--input-shape: expected positive dimensions such as 1,3,32,32, found '" + text + "'");
    }
    return Shape.of(d);
  }

  private static void print(PrintWriter out, ModelFiles files, Model m, List<Node> inputs, Map<Entry, Shape> shapes,
      boolean shapesKnown, Map<Node, ResolvedOp> resolved) {
    long used = 0;
    int arrays = 0;
    for (Node v : m.graph().variables()) {
      INDArray p = m.params().get(v.name());
      if (p != null) {
        used += p.length();
        arrays++;
      }
    }
    out.println("symbol      " + files.symbol());
    out.println("params      " + files.params());
    for (Node in : inputs) {
      out.println("input       " + in.name() + " " + shapeText(shapes.get(in.out())));
    }
    for (Entry h : m.graph().heads()) {
      out.println("output      " + h + " " + shapeText(shapes.get(h)));
    }
    out.println("ops         " + resolved.size() + " nodes");
    out.println("parameters  " + String.format(Locale.ROOT, "%,d", used) + " in " + arrays + " arrays");
    if (!shapesKnown) {
      out.println("shapes      unknown: give the input shape with --input-shape");
    }
    out.println();
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"#", "NODE", "OP", "OUTPUT SHAPE", "PARAMS"});
    int i = 0;
    for (Node n : resolved.keySet()) {
      long params = 0;
      for (Entry e : n.inputs()) {
        INDArray p = e.node().isVariable() ? m.params().get(e.node().name()) : null;
        params += p == null ? 0 : p.length();
      }
      List<String> outs = new ArrayList<>();
      for (int k = 0; k < n.numOutputs(); k++) {
        outs.add(shapeText(shapes.get(n.out(k))));
      }
      rows.add(new String[] {String.valueOf(i++), n.name(), resolved.get(n).key(), String.join(" ", outs),
          params == 0 ? "" : String.format(Locale.ROOT, "%,d", params)});
    }
    Table.print(out, rows);
    out.println();
    Map<ResolvedOp, Integer> counts = new LinkedHashMap<>();
    for (ResolvedOp op : resolved.values()) {
      counts.merge(op, 1, Integer::sum);
    }
    List<String[]> hooks = new ArrayList<>();
    List<String> header = new ArrayList<>(List.of("OP", "NODES", "SOURCE"));
    for (Hook h : Hook.values()) {
      header.add(io.mrt.runtime.registry.OpCoverage.camel(h));
    }
    hooks.add(header.toArray(new String[0]));
    Map<Hook, List<String>> lacking = new LinkedHashMap<>();
    for (Map.Entry<ResolvedOp, Integer> c : counts.entrySet()) {
      ResolvedOp op = c.getKey();
      List<String> row = new ArrayList<>(List.of(op.key(), String.valueOf(c.getValue()), op.source().label()));
      for (Hook h : Hook.values()) {
        boolean has = op.descriptor().has(h);
        row.add(has ? "yes" : "-");
        if (!has) {
          lacking.computeIfAbsent(h, k -> new ArrayList<>()).add(op.key());
        }
      }
      hooks.add(row.toArray(new String[0]));
    }
    Table.print(out, hooks);
    out.println();
    for (Hook h : Hook.values()) {
      List<String> l = lacking.getOrDefault(h, List.of());
      out.println("no " + io.mrt.runtime.registry.OpCoverage.camel(h) + " hook: " + (l.isEmpty() ? "none" : String.join(", ", l)));
    }
    out.flush();
  }

  private static String shapeText(Shape s) {
    return s == null ? "?" : s.toString();
  }
}

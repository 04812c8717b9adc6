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
 * {@code mrt inspect MODEL}: loads an MXNet model, checks it (every parameter present with its
 * declared shape, every op implemented, shapes consistent), then prints the inputs and outputs, one
 * row per op node with its output shape, the parameter count, and per op which stage hooks are
 * registered. Any problem is one error naming the file and the node or byte offset (exit 2).
 */
@Command(name = "inspect", description = "Print a model's ops, shapes, parameter count and the stage hooks its ops lack.")
final class InspectCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "MODEL",
      description = "The symbol JSON, the model prefix (PREFIX.json or PREFIX-symbol.json), a folder holding one model, or an ONNX file (.onnx).")
  Path model;

  @Option(names = "--input-shape", paramLabel = "SHAPE",
      description = "The input shape, e.g. 1,3,32,32 or (1, 3, 32, 32) (default: the input's __shape__).")
  String inputShape;

  @Mixin
  PluginOptions plugins;

  @Override
  public Integer call() {
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

package io.mrt.runtime.pass;

import io.mrt.api.graph.Model;
import io.mrt.api.graph.Node;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.RewriteHook;
import io.mrt.api.registry.HookType;
import io.mrt.runtime.MrtException;
import io.mrt.runtime.registry.OpTable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The import of a model read from another framework's format (ONNX): every op whose op class has
 * a rewrite hook but no shape inference (an op of an import op set, such as {@code onnx_Conv}) goes
 * through its rewrite, with the input shapes known, and becomes built-in ops or a constant. After
 * the pass every op can infer its shape; a node left over (an op outside the set, or one its
 * rewrite could not map) is an error naming the node and the op, and saying that a plugin can
 * provide it. A model made of built-in ops only is returned unchanged.
 */
public final class ImportOpsPass implements ModelPass {
  private final Map<String, Shape> inputShapes;

  /** The pass with the shapes of the model's inputs, by name. */
  public ImportOpsPass(Map<String, Shape> inputShapes) {
    this.inputShapes = new LinkedHashMap<>(inputShapes);
  }

  /** Imports {@code model} whose single input has shape {@code inputShape}. */
  public static Model importModel(Model model, Shape inputShape, OpTable ops) {
    java.util.Set<String> inputs = model.inputNames();
    if (inputs.size() != 1) {
      throw new MrtException("expected a model with one input, found " + inputs.size() + " " + inputs);
    }
    return new ImportOpsPass(Map.of(inputs.iterator().next(), inputShape)).apply(model, new PassContext(ops));
  }

  @Override
  public String name() {
    return "import";
  }

  /** Whether {@code model} has an op that needs the import (an op without a shape inference hook). */
  public static boolean needed(Model model, OpTable ops) {
    return model.graph().ops().stream().anyMatch(n -> isImportOp(n, ops));
  }

  private static boolean isImportOp(Node n, OpTable ops) {
    return !n.isVariable() && ops.hook(HookType.INFER_SHAPE, n).isEmpty();
  }

  @Override
  public Model apply(Model model, PassContext ctx) {
    OpTable ops = ctx.ops();
    Model out = GraphTransformer.transform(model, ops, inputShapes, step -> {
      Node n = step.node();
      if (!isImportOp(n, ops)) {
        return step.unchanged();
      }
      ops.resolve(n); // an op outside every registry: named, with the plugin hint
      Optional<RewriteHook> hook = ops.hook(HookType.REWRITE, n);
      if (hook.isEmpty()) {
        throw new MrtException("node " + n.name() + ": op " + n.op() + " can neither run nor be rewritten into"
            + " runnable ops (it has no inferShape and no rewrite hook)");
      }
      return hook.get().rewrite(step);
    });
    for (Node n : out.graph().ops()) {
      if (isImportOp(n, ops)) {
        throw new MrtException("node " + n.name() + ": op " + n.op() + " cannot be mapped onto the built-in ops"
            + " where it stands (see docs/onnx.md for the supported forms); a plugin can provide an implementation"
            + " (drop its jar into the plugins directory, see `mrt plugins`)");
      }
    }
    return out;
  }
}

package io.mrt.runtime.pass;

import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Entry;
import io.mrt.api.graph.Model;
import io.mrt.api.graph.Node;
import io.mrt.api.graph.Shape;
import io.mrt.runtime.MrtException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Multiple outputs fusion (MRT's {@code fuse_multiple_outputs}): output {@code i} of a
 * {@code SliceChannel} (or {@code split}) of {@code X} into {@code n} parts along {@code axis}
 * becomes {@code slice_axis(X, axis, begin=i*d/n, end=(i+1)*d/n)} ({@code d} the size of the axis),
 * named {@code <name>_<i>}; with {@code squeeze_axis} a {@code squeeze} follows. Outputs nobody
 * reads disappear.
 */
public final class FuseMultipleOutputsPass implements ModelPass {
  private static final Set<String> OPS = Set.of("SliceChannel", "split");

  @Override
  public String name() {
    return "fuse_multiple_outputs";
  }

  @Override
  public Model apply(Model model, PassContext ctx) {
    if (model.graph().ops().stream().noneMatch(n -> OPS.contains(n.op()))) {
      return model;
    }
    return GraphTransformer.transform(model, ctx.ops(), step -> {
      Node n = step.node();
      if (!OPS.contains(n.op())) {
        return step.unchanged();
      }
      if (n.inputs().size() != 1) {
        throw new MrtException("node " + n.name() + " (" + n.op() + "): expects exactly one input, found "
            + n.inputs().size());
      }
      Attrs a = step.attrs();
      Entry x = step.input(0);
      Shape xs = step.shapeOf(x);
      int num = a.getInt("num_outputs");
      int axis = a.getInt("axis", 1);
      axis = axis < 0 ? axis + xs.rank() : axis;
      if (axis < 0 || axis >= xs.rank() || num < 1 || xs.dim(axis) % num != 0 || num != n.numOutputs()) {
        throw new MrtException("node " + n.name() + " (" + n.op() + "): cannot split axis " + a.getString("axis", "1")
            + " of shape " + xs + " into num_outputs=" + num + " equal parts (node has " + n.numOutputs()
            + " outputs)");
      }
      long stride = xs.dim(axis) / num;
      boolean squeeze = a.getBool("squeeze_axis", false);
      List<Entry> out = new ArrayList<>();
      for (int i = 0; i < num; i++) {
        String name = n.name() + "_" + i;
        Node s = step.op("slice_axis", squeeze ? name + "_slice" : name, Attrs.of("axis", Integer.toString(axis),
            "begin", Long.toString(i * stride), "end", Long.toString((i + 1) * stride)), x);
        out.add(squeeze ? step.op("squeeze", name, Attrs.of("axis", Attrs.tuple(axis)), s.out()).out() : s.out());
      }
      return out;
    });
  }
}

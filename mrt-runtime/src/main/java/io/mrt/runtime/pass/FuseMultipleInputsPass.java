package io.mrt.runtime.pass;

import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Entry;
import io.mrt.api.graph.Model;
import io.mrt.api.graph.Node;
import io.mrt.api.graph.Shape;
import io.mrt.runtime.MrtException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Multiple inputs fusion (MRT's {@code fuse_multiple_inputs}): when the model has several inputs,
 * they all become slices of one flat input {@code data}. Each input {@code i} of declared shape
 * {@code (1, d1, ..., dk)} (batch axis 0) takes {@code p_i = d1*...*dk} consecutive columns:
 * {@code Reshape(slice_axis(data, axis=1, begin, begin + p_i), shape=(-1, d1, ..., dk))}, and
 * {@code data} is declared {@code (1, p_1 + ... + p_n)}, inputs in graph order. Unlike MRT, whose
 * {@code data} is a 1-D vector with the batch of 1 baked in, the batch axis is kept, so the
 * prepared model runs with any batch. A model with one input is unchanged.
 */
public final class FuseMultipleInputsPass implements ModelPass {
  @Override
  public String name() {
    return "fuse_multiple_inputs";
  }

  @Override
  public Model apply(Model model, PassContext ctx) {
    List<String> inputs = new ArrayList<>(model.inputNames());
    if (inputs.isEmpty()) {
      throw new MrtException("the model has no input (every variable has a value in the params file)");
    }
    if (inputs.size() == 1) {
      return model;
    }
    if (inputs.contains(InputNameReplacePass.DATA) || model.params().containsKey(InputNameReplacePass.DATA)) {
      throw new MrtException("cannot fuse inputs " + inputs + " into '" + InputNameReplacePass.DATA
          + "': a node already has that name");
    }
    Map<String, Shape> shapes = new LinkedHashMap<>();
    Map<String, long[]> columns = new LinkedHashMap<>();
    long total = 0;
    for (Node v : model.graph().variables()) {
      if (!inputs.contains(v.name())) {
        continue;
      }
      Shape s = ShapeMap.declaredShape(v).orElseThrow(() -> new MrtException("input " + v.name()
          + " has no shape; multiple inputs need a shape each (declare __shape__ on each input)"));
      if (s.rank() < 1 || s.dim(0) != 1) {
        throw new MrtException("input " + v.name() + " has shape " + s + "; fusing inputs needs the batch axis first"
            + " with batch 1");
      }
      long per = s.size();
      shapes.put(v.name(), s);
      columns.put(v.name(), new long[] {total, total + per});
      total += per;
    }
    Node[] data = new Node[1];
    long width = total;
    return GraphTransformer.transform(model, ctx.ops(), step -> {
      Node n = step.node();
      if (!step.isInput(n.out())) {
        return step.unchanged();
      }
      if (data[0] == null) {
        data[0] = Node.variable(InputNameReplacePass.DATA,
            Attrs.of(ShapeMap.SHAPE_ATTR, Attrs.tuple(1L, width)));
      }
      long[] c = columns.get(n.name());
      Node slice = step.op("slice_axis", n.name() + "_slice",
          Attrs.of("axis", "1", "begin", Long.toString(c[0]), "end", Long.toString(c[1])), data[0].out());
      long[] back = shapes.get(n.name()).dims();
      back[0] = -1;
      Node reshaped = step.op("Reshape", n.name(), Attrs.of("shape", Attrs.tuple(back)), slice.out());
      return List.<Entry>of(reshaped.out());
    });
  }
}

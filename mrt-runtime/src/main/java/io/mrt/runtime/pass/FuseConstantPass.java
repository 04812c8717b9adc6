package io.mrt.runtime.pass;

import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Entry;
import io.mrt.api.graph.Model;
import io.mrt.api.graph.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Constant fusion (MRT's {@code fuse_constant}): an op with no inputs, or whose inputs are all
 * parameters, is evaluated in float32 through its {@code forward} hook and replaced by a parameter
 * of the same name with attribute {@code precision = get_bit(value)}
 * ({@code ceil(log2(absmax + 1)) + 1}). An op with several outputs gives {@code <name>_<i>} for
 * outputs after the first. An op without a forward hook is kept (and logged).
 */
public final class FuseConstantPass implements ModelPass {
  private static final Logger LOG = LoggerFactory.getLogger(FuseConstantPass.class);

  @Override
  public String name() {
    return "fuse_constant";
  }

  /** MRT's {@code get_bit}: the bits needed to hold the abs-max of {@code value}, sign included. */
  public static int getBit(INDArray value) {
    double absmax = value.length() == 0 ? 0 : value.amaxNumber().doubleValue();
    return getBit(absmax);
  }

  /** MRT's {@code get_bit} of a non-negative number: {@code ceil(log2(x + 1)) + 1}. */
  public static int getBit(double absmax) {
    return (int) Math.ceil(Math.log(absmax + 1) / Math.log(2)) + 1;
  }

  @Override
  public Model apply(Model model, PassContext ctx) {
    return GraphTransformer.transform(model, ctx.ops(), step -> {
      Node n = step.node();
      if (n.isVariable()) {
        return step.unchanged();
      }
      List<INDArray> values = new ArrayList<>();
      for (Entry e : step.inputs()) {
        Optional<INDArray> v = step.paramValue(e);
        if (v.isEmpty()) {
          return step.unchanged();
        }
        values.add(v.get());
      }
      Optional<List<INDArray>> out = NodeEvaluator.evaluate(ctx.ops(), n, values);
      if (out.isEmpty()) {
        LOG.warn("node {} ({}) has constant inputs but no forward hook; it is not folded", n.name(), n.op());
        return step.unchanged();
      }
      List<Entry> result = new ArrayList<>();
      for (int i = 0; i < out.get().size(); i++) {
        INDArray v = out.get().get(i);
        String name = i == 0 ? n.name() : n.name() + "_" + i;
        result.add(step.param(name, v, Attrs.of("precision", Integer.toString(getBit(v)))).out());
      }
      return result;
    });
  }
}

package io.mrt.runtime.exec.cvm;

import io.mrt.annotations.cvm.CvmRules;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The executor's implementation of each operator of the table {@link CvmRules} (CVM_OPS.md
 * section 1), by name: one per table entry, checked when the class loads.
 */
final class CvmOps {
  private static final Map<String, CvmOp> OPS;

  static {
    Map<String, CvmOp> m = new TreeMap<>();
    for (CvmOp op : List.of(
        new DenseOp(), new ConvOp(), new PoolOp(), new ShapeOps.Upsampling(),
        new ElementwiseOps.Relu(), new ElementwiseOps.Abs(), new ElementwiseOps.Negative(),
        new ElementwiseOps.CvmPrecision(),
        new ElementwiseOps.Binary("elemwise_add"),
        new ElementwiseOps.Binary("elemwise_sub"),
        new ElementwiseOps.Clip(), new ElementwiseOps.CvmClip(), new ElementwiseOps.LeftShift(),
        new ElementwiseOps.RightShift(),
        new ShapeOps.Flatten(), new ShapeOps.Reshape(), new ShapeOps.ExpandDims(), new ShapeOps.Squeeze(),
        new ShapeOps.Transpose(), new ShapeOps.StridedSlice(), new ShapeOps.Concatenate(), new ShapeOps.Repeat(),
        new ShapeOps.Tile(), new IndexOps.Take(), new IndexOps.CvmLut(), new ShapeOps.SliceLike(),
        new IndexOps.Where(),
        new IndexOps.Broadcast("broadcast_add", (a, b) -> a + b),
        new IndexOps.Broadcast("broadcast_sub", (a, b) -> a - b),
        new IndexOps.Broadcast("broadcast_mul", (a, b) -> a * b),
        new IndexOps.Broadcast("broadcast_max", Math::max),
        new IndexOps.Broadcast("broadcast_div", (a, b) -> b == 0 ? 0 : a / b),
        new IndexOps.Broadcast("broadcast_greater", (a, b) -> a > b ? 1 : 0),
        new ReduceOps.Reduce("sum", true), new ReduceOps.Reduce("max", false),
        new DetectionOps.GetValidCounts(), new DetectionOps.Nms())) {
      m.put(op.name(), op);
    }
    if (!m.keySet().equals(CvmRules.names())) {
      throw new IllegalStateException("the executor implements " + m.keySet() + ", the table of CVM operators lists "
          + CvmRules.names());
    }
    OPS = Collections.unmodifiableMap(m);
  }

  private CvmOps() {
  }

  /** The operator, or null when the runtime has no such operator. */
  static CvmOp get(String name) {
    return OPS.get(name);
  }

  /** The names of the operators whose output may share the storage of an input, sorted. */
  static java.util.Set<String> sharingStorage() {
    return CvmRules.sharingStorage();
  }

  /** All operator names, sorted. */
  static java.util.Set<String> names() {
    return OPS.keySet();
  }
}

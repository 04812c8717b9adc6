package io.mrt.ops.onnx;

import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Entry;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.RewriteContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What the ONNX ops share: ONNX inputs by position (left-out optional inputs are listed in the
 * reader's {@code absent_inputs} attribute), constant inputs, axes, opset, and the attribute
 * spellings of the built-in ops the rewrites emit.
 */
final class Onnx {
  private Onnx() {}

  /** The default-domain opset the reader stamped on the node. */
  static int opset(RewriteContext ctx) {
    return ctx.attrs().getInt("opset", 17);
  }

  /** ONNX input {@code pos}, if the node has it (not left out, not past the end). */
  static Optional<Entry> input(RewriteContext ctx, int pos) {
    int[] absent = ctx.attrs().getInts("absent_inputs", new int[0]);
    int skipped = 0;
    for (int a : absent) {
      if (a == pos) {
        return Optional.empty();
      }
      if (a < pos) {
        skipped++;
      }
    }
    int i = pos - skipped;
    return i < ctx.inputs().size() ? Optional.of(ctx.inputs().get(i)) : Optional.empty();
  }

  /** ONNX input {@code pos}, which must be present. */
  static Entry required(RewriteContext ctx, int pos, String what) {
    return input(ctx, pos).orElseThrow(() -> ctx.error("input " + pos + " (" + what + ") is missing"));
  }

  /** The value of a constant input (an initializer, a Constant or a folded subgraph), if it is one. */
  static Optional<INDArray> constant(RewriteContext ctx, int pos) {
    return input(ctx, pos).flatMap(ctx::paramValue);
  }

  /** The value of a constant input that must be constant. */
  static INDArray requireConstant(RewriteContext ctx, int pos, String what) {
    Entry e = required(ctx, pos, what);
    return ctx.paramValue(e).orElseThrow(() -> ctx.error("input " + pos + " (" + what + ") must be a constant"
        + " (an initializer, a Constant node, or computed from the input shape only); found the output of "
        + e.node().name() + " (" + e.node().op() + ")"));
  }

  /** Whether every input is a constant. */
  static boolean allConstant(RewriteContext ctx) {
    for (Entry e : ctx.inputs()) {
      if (ctx.paramValue(e).isEmpty()) {
        return false;
      }
    }
    return !ctx.inputs().isEmpty();
  }

  /** The integers of a constant (an int64 or float tensor of whole numbers). */
  static long[] longs(INDArray a) {
    if (a.length() == 0) {
      return new long[0];
    }
    return a.dataType().isFPType() ? Arrays.stream(a.dup().data().asDouble()).mapToLong(d -> (long) d).toArray()
        : a.dup().data().asLong();
  }

  /** A floating scalar of a constant. */
  static double scalar(RewriteContext ctx, INDArray a, String what) {
    if (a.length() != 1) {
      throw ctx.error(what + " must hold one value, found shape " + Arrays.toString(a.shape()));
    }
    return a.getDouble(0);
  }

  /** An int list attribute, or {@code dflt}. */
  static long[] ints(RewriteContext ctx, String key, long[] dflt) {
    return ctx.attrs().has(key) ? ctx.attrs().getLongs(key) : dflt;
  }

  /** Normalizes an ONNX axis (negative counts from the end) for {@code rank} dimensions. */
  static int axis(RewriteContext ctx, String what, long axis, int rank) {
    long a = axis < 0 ? axis + rank : axis;
    if (a < 0 || a >= rank) {
      throw ctx.error(what + " " + axis + " is out of range for rank " + rank);
    }
    return (int) a;
  }

  /** Replaces the node by a constant. */
  static List<Entry> fold(RewriteContext ctx, INDArray value) {
    return List.of(ctx.param(ctx.node().name(), value).out());
  }

  /** An int64 1-D constant. */
  static INDArray longVector(long... v) {
    return v.length == 0 ? Nd4j.create(DataType.LONG, 0) : Nd4j.createFromArray(v);
  }

  /** A tuple attribute value of ints. */
  static String tuple(long... v) {
    StringBuilder b = new StringBuilder("(");
    for (int i = 0; i < v.length; i++) {
      b.append(i > 0 ? ", " : "").append(v[i]);
    }
    return b.append(v.length == 1 ? ",)" : ")").toString();
  }

  /** A tuple attribute value of ints. */
  static String tuple(int... v) {
    return tuple(Arrays.stream(v).asLongStream().toArray());
  }

  /** A tuple of optional ints ({@code None} where null), as the built-in {@code slice} reads it. */
  static String optionalTuple(List<Long> v) {
    List<String> s = new ArrayList<>();
    for (Long x : v) {
      s.add(x == null ? "None" : x.toString());
    }
    return "(" + String.join(", ", s) + (s.size() == 1 ? ",)" : ")");
  }

  /** A double attribute as the built-in ops parse it. */
  static String num(double v) {
    if (Double.isInfinite(v)) {
      return v > 0 ? "inf" : "-inf";
    }
    return Double.toString(v);
  }

  /**
   * The shape that a built-in {@code Reshape} should carry for an output of {@code out} from an
   * input of {@code in}: the batch dimension is written {@code 0} (copy) when it carries over, so
   * that the prepared graph, whose shapes are inferred at batch 1, runs at every batch size.
   */
  static long[] batchFreeShape(Shape in, long[] out) {
    long[] s = out.clone();
    if (s.length > 0 && in.rank() > 0 && s[0] == in.dim(0)) {
      s[0] = 0;
    }
    return s;
  }

  /** {@code Reshape} to {@code out}, batch-free. */
  static Entry reshape(RewriteContext ctx, String name, Entry x, long[] out) {
    long[] s = batchFreeShape(ctx.shapeOf(x), out);
    return ctx.op("Reshape", name, Attrs.of("shape", tuple(s)), x).out();
  }

  /** The number of elements of {@code dims[from, to)}. */
  static long product(long[] dims, int from, int to) {
    long p = 1;
    for (int i = from; i < to; i++) {
      p *= dims[i];
    }
    return p;
  }

  /** Whether a constant holds integers. */
  static boolean isInteger(INDArray a) {
    return !a.dataType().isFPType();
  }

  /** The array as float32 (a copy when it is not float32). */
  static INDArray f32(INDArray a) {
    return a.dataType() == DataType.FLOAT ? a : a.castTo(DataType.FLOAT);
  }
}

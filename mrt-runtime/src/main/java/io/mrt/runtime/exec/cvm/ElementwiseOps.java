package io.mrt.runtime.exec.cvm;

import io.mrt.annotations.cvm.CvmRules;
import java.util.Arrays;
import java.util.function.IntUnaryOperator;

/**
 * The element-wise operators: relu, abs, negative, cvm_precision, elemwise_add, elemwise_sub,
 * clip, cvm_clip, cvm_right_shift and cvm_left_shift, with the kernels of the reference CPU runtime
 * (int32 arithmetic that wraps; cvm_right_shift exactly as CVM_OPS.md section 2).
 */
final class ElementwiseOps {
  private ElementwiseOps() {
  }

  /** An element-wise operator with one input of any shape. */
  abstract static class Unary extends CvmOp {
    Unary(String name) {
      super(name);
    }

    @Override
    long[][] inferShape(Attrs a, long[][] in, NodeContext ctx) {
      return new long[][] {in[0].clone()};
    }

    /** The per-element function of the prepared node (used by tests and the generic loop). */
    abstract IntUnaryOperator function(Attrs a, NodeContext ctx);

    /** Applies the operator to n elements; subclasses override it with a loop the JIT can inline. */
    void map(Attrs a, int[] x, int[] y, int n, NodeContext ctx) {
      IntUnaryOperator f = function(a, ctx);
      for (int i = 0; i < n; i++) {
        y[i] = f.applyAsInt(x[i]);
      }
    }

    @Override
    Kernel kernel(Attrs a, int[][] in, int[][] out, NodeContext ctx) {
      int n = size(in[0]);
      return (x, y, rc) -> map(a, x[0], y[0], n, ctx);
    }
  }

  static final class Relu extends Unary {
    Relu() {
      super("relu");
    }

    @Override
    IntUnaryOperator function(Attrs a, NodeContext ctx) {
      return x -> x < 0 ? 0 : x;
    }

    @Override
    void map(Attrs a, int[] x, int[] y, int n, NodeContext ctx) {
      for (int i = 0; i < n; i++) {
        y[i] = Math.max(x[i], 0);
      }
    }
  }

  static final class Abs extends Unary {
    Abs() {
      super("abs");
    }

    @Override
    IntUnaryOperator function(Attrs a, NodeContext ctx) {
      return Math::abs;
    }

    @Override
    void map(Attrs a, int[] x, int[] y, int n, NodeContext ctx) {
      for (int i = 0; i < n; i++) {
        y[i] = Math.abs(x[i]);
      }
    }
  }

  /** negative: the runtime's storage allow-list spells it "nagetive", so it may not share storage (CvmRules). */
  static final class Negative extends Unary {
    Negative() {
      super("negative");
    }

    @Override
    IntUnaryOperator function(Attrs a, NodeContext ctx) {
      return x -> -x;
    }

    @Override
    void map(Attrs a, int[] x, int[] y, int n, NodeContext ctx) {
      for (int i = 0; i < n; i++) {
        y[i] = -x[i];
      }
    }
  }

  static final class CvmPrecision extends Unary {
    CvmPrecision() {
      super("cvm_precision");
    }

    @Override
    IntUnaryOperator function(Attrs a, NodeContext ctx) {
      return x -> {
        long v = Math.abs((long) x);
        for (int i = 1; i < 64; i++) {
          if (v < (1L << i)) {
            return i;
          }
        }
        return 64;
      };
    }
  }

  static final class Clip extends Unary {
    private static final Attrs.Schema SCHEMA = new Attrs.Schema().reqInt("a_min").reqInt("a_max");

    Clip() {
      super("clip");
    }

    @Override
    Attrs.Schema schema() {
      return SCHEMA;
    }

    @Override
    void checkPrecision(Attrs a, int[] ip, NodeContext ctx) {
      long r = Integer.MAX_VALUE;
      range(a.i("a_max"), "clip.a_max", -r, r, ctx);
      range(a.i("a_min"), "clip.a_min", -r, r, ctx);
      if (a.i("a_min") >= a.i("a_max")) {
        throw ctx.fail("clip a_min must be less than a_max, found a_min=" + a.i("a_min") + " a_max=" + a.i("a_max"));
      }
    }

    @Override
    IntUnaryOperator function(Attrs a, NodeContext ctx) {
      int lo = a.i("a_min");
      int hi = a.i("a_max");
      return x -> Math.max(Math.min(hi, x), lo);
    }

    @Override
    void map(Attrs a, int[] x, int[] y, int n, NodeContext ctx) {
      int lo = a.i("a_min");
      int hi = a.i("a_max");
      for (int i = 0; i < n; i++) {
        y[i] = Math.max(Math.min(hi, x[i]), lo);
      }
    }
  }

  static final class CvmClip extends Unary {
    private static final Attrs.Schema SCHEMA = new Attrs.Schema().reqInt("precision").bool("is_sign", true);

    CvmClip() {
      super("cvm_clip");
    }

    @Override
    Attrs.Schema schema() {
      return SCHEMA;
    }

    @Override
    void checkPrecision(Attrs a, int[] ip, NodeContext ctx) {
      range(a.i("precision"), "cvm_clip.precision", 1, 32, ctx);
    }

    @Override
    IntUnaryOperator function(Attrs a, NodeContext ctx) {
      int r = range(a.i("precision"));
      return x -> x > r ? r : (x < -r ? -r : x);
    }

    @Override
    void map(Attrs a, int[] x, int[] y, int n, NodeContext ctx) {
      int r = range(a.i("precision"));
      for (int i = 0; i < n; i++) {
        y[i] = Math.min(Math.max(x[i], -r), r);
      }
    }
  }

  /** cvm_right_shift: round half up, then saturate; the kernel of CVM_OPS.md section 2. */
  static final class RightShift extends Unary {
    private static final Attrs.Schema SCHEMA = new Attrs.Schema().reqInt("precision").bool("is_sign", true)
        .reqInt("shift_bit");

    RightShift() {
      super("cvm_right_shift");
    }

    @Override
    Attrs.Schema schema() {
      return SCHEMA;
    }

    @Override
    void checkPrecision(Attrs a, int[] ip, NodeContext ctx) {
      range(a.i("precision"), "cvm_right_shift.precision", 1, 32, ctx);
      range(a.i("shift_bit"), "cvm_right_shift.shift_bit", 1, 32, ctx);
    }

    @Override
    IntUnaryOperator function(Attrs a, NodeContext ctx) {
      return function(a.i("precision"), a.i("shift_bit"));
    }

    /**
     * The rule of {@link CvmRules#rightShift32} with its branches taken once per node (for
     * {@code p + b < 32} the bounds fit in an int); CvmRuleTableTest checks it against the rule.
     */
    @Override
    void map(Attrs a, int[] x, int[] y, int n, NodeContext ctx) {
      int p = a.i("precision");
      int b = a.i("shift_bit");
      int r = range(p);
      if (r == 0) {
        java.util.Arrays.fill(y, 0, n, 0);
      } else if (b >= 31) {
        for (int i = 0; i < n; i++) {
          y[i] = x[i] >> 31;
        }
      } else if (p + b >= 32) {
        int s = b - 1;
        for (int i = 0; i < n; i++) {
          y[i] = ((x[i] >> s) + 1) >> 1;
        }
      } else {
        int s = b - 1;
        int xmin = (-2 * r - 1) << s;
        int xmax = (2 * r - 1) << s;
        for (int i = 0; i < n; i++) {
          int t = x[i];
          y[i] = t < xmin ? -r : (t > xmax ? r : ((t >> s) + 1) >> 1);
        }
      }
    }

    /** The table's rounding rule on int32 values ({@link CvmRules#rightShift32}). */
    static IntUnaryOperator function(int p, int b) {
      return x -> CvmRules.rightShift32(x, p, b);
    }
  }

  /**
   * cvm_left_shift: loads with the reference checks, but the reference CPU kernel throws at
   * inference (it reads an attribute with the wrong type), so this kernel fails the same way.
   */
  static final class LeftShift extends Unary {
    private static final Attrs.Schema SCHEMA = new Attrs.Schema().reqInt("precision").bool("is_sign", true)
        .reqInt("shift_bit");

    LeftShift() {
      super("cvm_left_shift");
    }

    @Override
    Attrs.Schema schema() {
      return SCHEMA;
    }

    @Override
    void checkPrecision(Attrs a, int[] ip, NodeContext ctx) {
      range(a.i("precision"), "cvm_left_shift.precision", 1, 32, ctx);
      range(a.i("shift_bit"), "cvm_left_shift.shift_bit", 1, 32, ctx);
      if (ip[0] + a.i("shift_bit") > 32) {
        throw ctx.fail("infer precision failed: input precision " + ip[0] + " + shift_bit " + a.i("shift_bit")
            + " exceeds 32");
      }
    }

    @Override
    IntUnaryOperator function(Attrs a, NodeContext ctx) {
      throw new IllegalStateException("cvm_left_shift has no kernel");
    }

    @Override
    Kernel kernel(Attrs a, int[][] in, int[][] out, NodeContext ctx) {
      return (x, y, rc) -> {
        throw ctx.runFail("cvm_left_shift cannot run: the reference CPU runtime fails this operator at inference "
            + "(its kernel reads an attribute with the wrong type), so this executor refuses it the same way; "
            + "compile x * 2^shift_bit with broadcast_mul and cvm_clip instead (see docs/cvm.md)");
      };
    }
  }

  /** elemwise_add / elemwise_sub: identical shapes, precision max + 1. */
  static final class Binary extends CvmOp {
    Binary(String name) {
      super(name);
    }

    @Override
    long[][] inferShape(Attrs a, long[][] in, NodeContext ctx) {
      if (!Arrays.equals(in[0], in[1])) {
        throw ctx.fail("inputs must have identical shapes, found " + str(in[0]) + " and " + str(in[1]));
      }
      return new long[][] {in[0].clone()};
    }

    @Override
    Kernel kernel(Attrs a, int[][] in, int[][] out, NodeContext ctx) {
      int n = size(in[0]);
      if (name().equals("elemwise_add")) {
        return (x, y, rc) -> {
          int[] p = x[0];
          int[] q = x[1];
          int[] r = y[0];
          for (int i = 0; i < n; i++) {
            r[i] = p[i] + q[i];
          }
        };
      }
      return (x, y, rc) -> {
        int[] p = x[0];
        int[] q = x[1];
        int[] r = y[0];
        for (int i = 0; i < n; i++) {
          r[i] = p[i] - q[i];
        }
      };
    }
  }
}

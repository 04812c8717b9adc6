package io.mrt.runtime.exec.cvm;

import io.mrt.annotations.cvm.CvmRules;
import java.util.Arrays;

/**
 * One CVM operator: its parameter schema, shape rule, load checks, gas base and CPU kernel, as in
 * CVM_OPS.md. Its name, input and output counts, storage sharing and precision rule are its entry
 * of the one table {@link CvmRules}; an operator only adds the checks of its attributes and inputs
 * that the runtime makes before applying the rule. Instances are stateless singletons registered
 * in {@link CvmOps}.
 */
abstract class CvmOp {
  /** A prepared kernel of one node: reads its inputs and writes its outputs. */
  interface Kernel {
    /** Runs the node; {@code in}/{@code out} are the storage slots of the entries (views at offset 0). */
    void run(int[][] in, int[][] out, RunContext rc);
  }

  private final CvmRules.Operator rule;

  CvmOp(String name) {
    this.rule = CvmRules.get(name);
    if (rule == null) {
      throw new IllegalStateException("operator " + name + " is not in the table of CVM operators (CvmRules)");
    }
  }

  /** The registered operator name. */
  final String name() {
    return rule.name();
  }

  /** The operator's entry in the table of CVM operator rules. */
  final CvmRules.Operator rule() {
    return rule;
  }

  /** The parameter schema, or null for an operator without parameters (its op_attrs must be {}). */
  Attrs.Schema schema() {
    return null;
  }

  /** The number of inputs the node must have; {@code given} is the count in the graph. */
  final int numInputs(Attrs a, int given) {
    CvmRules.Arity arity = rule.arity();
    return arity.inputs(arity == CvmRules.Arity.TWO_OR_THREE_BY_BIAS && a.b("use_bias"), given);
  }

  /** The number of outputs. */
  final int numOutputs() {
    return rule.outputs();
  }

  /** Whether the output may share the storage slot of an input (the runtime's reused_ops list). */
  final boolean mayShareStorage() {
    return rule.sharesStorage();
  }

  /** Whether the kernel may leave part of its output unwritten (non_max_suppression's early return). */
  boolean mayLeaveOutputUnwritten() {
    return false;
  }

  /** Whether the kernel writes into its first input (non_max_suppression does). */
  boolean mutatesInput0() {
    return false;
  }

  /** The output shapes; checks the input shapes; throws {@code ctx.fail(...)} on a violation. */
  abstract long[][] inferShape(Attrs a, long[][] in, NodeContext ctx);

  /**
   * The output precisions from the input precisions (all known): the table's rule, after
   * {@link #checkPrecision}; throws {@code ctx.fail(...)}.
   */
  final int[] inferPrecision(Attrs a, int[] ip, long[][] in, long[][] out, NodeContext ctx) {
    checkPrecision(a, ip, ctx);
    return rule.precisions(new CvmRules.Node() {
      @Override
      public int[] inputPrecisions() {
        return ip;
      }

      @Override
      public long[] inputShape(int i) {
        return in[i];
      }

      @Override
      public long[] outputShape(int i) {
        return out[i];
      }

      @Override
      public long attr(String n) {
        return a.i(n);
      }

      @Override
      public boolean flag(String n) {
        return a.b(n);
      }
    });
  }

  /**
   * The runtime's checks before the precision rule: attributes in range, inputs within the
   * table's {@code maxInputBits}; throws {@code ctx.fail(...)}. None by default.
   */
  void checkPrecision(Attrs a, int[] ip, NodeContext ctx) {
  }

  /** The per-output-element base of the gas estimate (CVM_OPS.md section 5). */
  long gasBase(Attrs a, long[][] in, long[][] out) {
    return 1;
  }

  /** The output whose size multiplies the gas base. */
  int gasOutput() {
    return 0;
  }

  /** Prepares the kernel for fixed shapes. */
  abstract Kernel kernel(Attrs a, int[][] in, int[][] out, NodeContext ctx);

  // ---- helpers shared by the operators ----

  static long size(long[] s) {
    long n = 1;
    for (long d : s) {
      n *= d;
    }
    return n;
  }

  static int size(int[] s) {
    int n = 1;
    for (int d : s) {
      n *= d;
    }
    return n;
  }

  static String str(long[] s) {
    return Arrays.toString(s);
  }

  /** Checks {@code lo <= v <= hi} the way VerifyAttrRange does. */
  static void range(long v, String attr, long lo, long hi, NodeContext ctx) {
    if (v < lo || v > hi) {
      throw ctx.fail("attribute " + attr + " value " + v + " out of range [" + lo + ", " + hi + "]");
    }
  }

  static void checkNdim(long[] s, int ndim, String what, NodeContext ctx) {
    if (s.length != ndim) {
      throw ctx.fail(what + " must be " + ndim + "-D, found shape " + str(s));
    }
  }

  static void checkEqual(long[] expected, long[] found, String what, NodeContext ctx) {
    if (!Arrays.equals(expected, found)) {
      throw ctx.fail(what + ": expected shape " + str(expected) + ", found " + str(found));
    }
  }

  /** Number of binary digits of n (GetReduceSumBit). */
  static int bits(long n) {
    return CvmRules.bits(n);
  }

  /** The largest magnitude of precision p: 2^(p-1)-1 (0 for p = 1). */
  static int range(int p) {
    return (int) ((1L << (p - 1)) - 1);
  }
}

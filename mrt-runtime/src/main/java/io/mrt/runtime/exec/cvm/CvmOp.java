package io.mrt.runtime.exec.cvm;

import java.util.Arrays;

/**
 * One CVM operator: its parameter schema, input and output counts, shape rule, precision rule,
 * gas base and CPU kernel, all as in CVM_OPS.md. Instances are stateless singletons registered in
 * {@link CvmOps}.
 */
abstract class CvmOp {
  /** A prepared kernel of one node: reads its inputs and writes its outputs. */
  interface Kernel {
    /** Runs the node; {@code in}/{@code out} are the storage slots of the entries (views at offset 0). */
    void run(int[][] in, int[][] out, RunContext rc);
  }

  private final String name;

  CvmOp(String name) {
    this.name = name;
  }

  /** The registered operator name. */
  final String name() {
    return name;
  }

  /** The parameter schema, or null for an operator without parameters (its op_attrs must be {}). */
  Attrs.Schema schema() {
    return null;
  }

  /** The number of inputs the node must have; {@code given} is the count in the graph. */
  int numInputs(Attrs a, int given) {
    return 1;
  }

  /** The number of outputs. */
  int numOutputs() {
    return 1;
  }

  /** Whether the output may share the storage slot of an input (the runtime's reused_ops list). */
  boolean mayShareStorage() {
    return false;
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

  /** The output precisions from the input precisions (all known); throws {@code ctx.fail(...)}. */
  abstract int[] inferPrecision(Attrs a, int[] ip, long[][] in, long[][] out, NodeContext ctx);

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
    return 64 - Long.numberOfLeadingZeros(n);
  }

  /** GetNumberPrecision: bits(n + 1) + 1. */
  static int nprec(long n) {
    return bits(n + 1) + 1;
  }

  /** The largest magnitude of precision p: 2^(p-1)-1 (0 for p = 1). */
  static int range(int p) {
    return (int) ((1L << (p - 1)) - 1);
  }
}

package io.mrt.annotations.cvm;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The one table of the CVM operators' rules (spec CVM_OPS.md): for each of the 37 operators its
 * name, its number of inputs and outputs, whether its output may share an input's storage (the
 * reference runtime's reused_ops list), the most bits its data and weight inputs may have, and its
 * precision rule ({@code FInferPrecision}); and the rounding of {@code cvm_right_shift}.
 *
 * <p>Every reader asks this table: the annotation processor (which operators {@code emits} may
 * name), the CVM executor's load checks and the compiler's node-by-node inference (which add each
 * operator's parameter schema, shape rule and kernel), the compiler's storage planner (the in-place
 * list), and the quantize stage's precision check, which lowers a node to the CVM operators it emits
 * and takes their precisions from here. It lives in mrt-annotations, the one module with no
 * dependencies that the processor, ops-builtin and the runtime all reach.
 */
public final class CvmRules {
  private CvmRules() {}

  /** How many inputs an operator takes. */
  public enum Arity {
    /** One input. */
    ONE,
    /** Two inputs. */
    TWO,
    /** Three inputs. */
    THREE,
    /** Data and weight, and a bias when attribute {@code use_bias} is true (conv2d, dense). */
    TWO_OR_THREE_BY_BIAS,
    /** Any number (concatenate). */
    ANY;

    /** The number of inputs a node must have; {@code given} is its count in the graph. */
    public int inputs(boolean useBias, int given) {
      switch (this) {
        case ONE: return 1;
        case TWO: return 2;
        case THREE: return 3;
        case TWO_OR_THREE_BY_BIAS: return useBias ? 3 : 2;
        default: return given;
      }
    }
  }

  /** What a precision rule reads of a node: input precisions, shapes and integer attributes. */
  public interface Node {
    /** The precisions of the inputs, in input order. */
    int[] inputPrecisions();

    /** The shape of input {@code i}. */
    long[] inputShape(int i);

    /** The shape of output {@code i}. */
    long[] outputShape(int i);

    /** The value of an integer attribute (checked by the caller). */
    long attr(String name);

    /** The value of a boolean attribute (use_bias). */
    boolean flag(String name);
  }

  /** A precision rule: the output precisions of a node. */
  @FunctionalInterface
  public interface Precision {
    /** One precision per output. */
    int[] apply(Node n);
  }

  /**
   * The rules of one operator.
   *
   * @param name the operator name
   * @param arity its number of inputs
   * @param outputs its number of outputs
   * @param sharesStorage whether its output may share the storage of an input (reused_ops)
   * @param maxInputBits the most bits inputs 0 and 1 may have (8 for conv2d and dense), or 32
   * @param precision its precision rule
   */
  public record Operator(String name, Arity arity, int outputs, boolean sharesStorage, int maxInputBits,
      Precision precision) {
    /** The output precisions of a node of this operator. */
    public int[] precisions(Node n) {
      return precision.apply(n);
    }
  }

  private static final Map<String, Operator> OPS;

  static {
    Map<String, Operator> m = new LinkedHashMap<>();
    Precision xwb = n -> new int[] {xwb(n.inputPrecisions(), rowSize(n.inputShape(1)), n.flag("use_bias"))};
    Precision first = n -> new int[] {n.inputPrecisions()[0]};
    Precision maxPlusOne = n -> new int[] {maxPlusOne(n.inputPrecisions()[0], n.inputPrecisions()[1])};
    Precision attr = n -> new int[] {(int) n.attr("precision")};
    for (Operator o : List.of(
        new Operator("dense", Arity.TWO_OR_THREE_BY_BIAS, 1, false, 8, xwb),
        new Operator("conv2d", Arity.TWO_OR_THREE_BY_BIAS, 1, false, 8, xwb),
        new Operator("max_pool2d", Arity.ONE, 1, false, 32, first),
        new Operator("upsampling", Arity.ONE, 1, false, 32, first),
        new Operator("relu", Arity.ONE, 1, true, 32, first),
        new Operator("abs", Arity.ONE, 1, true, 32, first),
        // the runtime's reused_ops list spells negative "nagetive", so negative never shares storage
        new Operator("negative", Arity.ONE, 1, false, 32, first),
        new Operator("cvm_precision", Arity.ONE, 1, true, 32, n -> new int[] {6}),
        new Operator("elemwise_add", Arity.TWO, 1, true, 32, maxPlusOne),
        new Operator("elemwise_sub", Arity.TWO, 1, true, 32, maxPlusOne),
        new Operator("clip", Arity.ONE, 1, true, 32,
            n -> new int[] {clip(n.attr("a_min"), n.attr("a_max"))}),
        new Operator("cvm_clip", Arity.ONE, 1, true, 32, attr),
        new Operator("cvm_left_shift", Arity.ONE, 1, true, 32, attr),
        new Operator("cvm_right_shift", Arity.ONE, 1, true, 32, attr),
        new Operator("flatten", Arity.ONE, 1, true, 32, first),
        new Operator("reshape", Arity.ONE, 1, true, 32, first),
        new Operator("expand_dims", Arity.ONE, 1, true, 32, first),
        new Operator("squeeze", Arity.ONE, 1, true, 32, first),
        new Operator("transpose", Arity.ONE, 1, false, 32, first),
        new Operator("strided_slice", Arity.ONE, 1, false, 32, first),
        new Operator("concatenate", Arity.ANY, 1, false, 32, n -> new int[] {max(n.inputPrecisions())}),
        new Operator("repeat", Arity.ONE, 1, false, 32, first),
        new Operator("tile", Arity.ONE, 1, false, 32, first),
        new Operator("take", Arity.TWO, 1, false, 32, first),
        new Operator("cvm_lut", Arity.TWO, 1, false, 32, n -> new int[] {n.inputPrecisions()[1]}),
        new Operator("slice_like", Arity.TWO, 1, false, 32, first),
        // the reference runtime's quirk: where's output takes the precision of the condition
        new Operator("where", Arity.THREE, 1, false, 32, first),
        new Operator("broadcast_add", Arity.TWO, 1, false, 32, maxPlusOne),
        new Operator("broadcast_sub", Arity.TWO, 1, false, 32, maxPlusOne),
        new Operator("broadcast_mul", Arity.TWO, 1, false, 32,
            n -> new int[] {n.inputPrecisions()[0] + n.inputPrecisions()[1]}),
        new Operator("broadcast_max", Arity.TWO, 1, false, 32,
            n -> new int[] {Math.max(n.inputPrecisions()[0], n.inputPrecisions()[1])}),
        new Operator("broadcast_div", Arity.TWO, 1, false, 32, first),
        new Operator("broadcast_greater", Arity.TWO, 1, false, 32, first),
        new Operator("sum", Arity.ONE, 1, false, 32,
            n -> new int[] {n.inputPrecisions()[0] + bits(size(n.inputShape(0)) / size(n.outputShape(0)))}),
        new Operator("max", Arity.ONE, 1, false, 32, first),
        new Operator("get_valid_counts", Arity.ONE, 2, false, 32,
            n -> new int[] {numberPrecision(size(n.inputShape(0)) / n.inputShape(0)[0]), n.inputPrecisions()[0]}),
        new Operator("non_max_suppression", Arity.TWO, 1, false, 32, first))) {
      m.put(o.name(), o);
    }
    OPS = Collections.unmodifiableMap(m);
  }

  /** The operator's rules, or null when the CVM has no such operator. */
  public static Operator get(String name) {
    return OPS.get(name);
  }

  /** The operator names, sorted. */
  public static SortedSet<String> names() {
    return Collections.unmodifiableSortedSet(new TreeSet<>(OPS.keySet()));
  }

  /** The names of the operators whose output may share an input's storage, sorted. */
  public static SortedSet<String> sharingStorage() {
    SortedSet<String> s = new TreeSet<>();
    OPS.values().stream().filter(Operator::sharesStorage).forEach(o -> s.add(o.name()));
    return Collections.unmodifiableSortedSet(s);
  }

  // ---- the formulas of the precision rules ----

  /** The number of binary digits of {@code n} (GetReduceSumBit): 0 for 0, 1 for 1, 3 for 4. */
  public static int bits(long n) {
    return 64 - Long.numberOfLeadingZeros(n);
  }

  /** GetNumberPrecision: {@code bits(n + 1) + 1}, the precision that holds {@code -n..n}. */
  public static int numberPrecision(long n) {
    return bits(n + 1) + 1;
  }

  /** The number of weights one output reads: the product of the weight shape without axis 0. */
  public static long rowSize(long[] weightShape) {
    long k = 1;
    for (int i = 1; i < weightShape.length; i++) {
      k = Math.multiplyExact(k, weightShape[i]);
    }
    return k;
  }

  /**
   * conv2d and dense: {@code ip0 + ip1 + bits(K)}, K the size of one weight row; with a bias
   * {@code max(that, ip2) + 1}.
   */
  public static int xwb(int[] ip, long rowSize, boolean useBias) {
    int p = ip[0] + ip[1] + bits(rowSize);
    return useBias ? Math.max(p, ip[2]) + 1 : p;
  }

  /** elemwise and broadcast add and sub: {@code max(ip0, ip1) + 1}. */
  public static int maxPlusOne(int ip0, int ip1) {
    return Math.max(ip0, ip1) + 1;
  }

  /** clip: {@code numberPrecision(max(|a_min|, |a_max|))}. */
  public static int clip(long aMin, long aMax) {
    return numberPrecision(Math.max(Math.abs(aMax), Math.abs(aMin)));
  }

  /** The largest precision of the inputs (concatenate). */
  public static int max(int[] ip) {
    int m = 0;
    for (int p : ip) {
      m = Math.max(m, p);
    }
    return m;
  }

  private static long size(long[] s) {
    long n = 1;
    for (long d : s) {
      n *= d;
    }
    return n;
  }

  // ---- rounding ----

  /**
   * cvm_right_shift on one integer (CVM_OPS.md section 2): round half up by {@code b} bits, then
   * saturate to {@code [-R(p), R(p)]}, {@code R(p) = 2^(p-1) - 1}; with the reference kernel's
   * branches: 0 for {@code p = 1}, {@code x >> 31} for {@code b >= 31}, no saturation for
   * {@code p + b >= 32}. This is also MRT's simulation ({@code cvm_op.RightShift}), which works on
   * integers of any size; the CVM's int32 kernel is {@link #rightShift32}.
   */
  public static long rightShift(long x, int p, int b) {
    long r = (1L << (p - 1)) - 1;
    if (r == 0) {
      return 0;
    }
    if (b >= 31) {
      return x >> 31;
    }
    if (p + b >= 32) {
      return ((x >> (b - 1)) + 1) >> 1;
    }
    long xmin = (-2 * r - 1) << (b - 1);
    long xmax = (2 * r - 1) << (b - 1);
    if (x < xmin) {
      return -r;
    }
    if (x > xmax) {
      return r;
    }
    return ((x >> (b - 1)) + 1) >> 1;
  }

  /**
   * The CVM kernel of cvm_right_shift on an int32: {@link #rightShift}, except where the kernel's
   * int32 arithmetic wraps: with {@code b = 1} and {@code p >= 31} (no saturation),
   * {@code 2^31 - 1} plus the rounding 1 wraps to {@code -2^31}, giving {@code -2^30}.
   */
  public static int rightShift32(int x, int p, int b) {
    if (x == Integer.MAX_VALUE && b == 1 && p >= 31) {
      return Integer.MIN_VALUE >> 1;
    }
    return (int) rightShift(x, p, b);
  }
}

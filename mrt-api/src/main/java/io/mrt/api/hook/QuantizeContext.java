package io.mrt.api.hook;

import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Entry;
import java.util.List;
import java.util.function.DoubleUnaryOperator;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The context of {@link QuantizeHook}: the node's inputs in the integer graph being built, with
 * their scales, precisions and float thresholds, and MRT's requantization primitives.
 *
 * <p>An integer entry {@code q} stands for the float {@code q / scale}; its values fit
 * {@code precision} bits ({@code |q| <= 2^(p-1)-1}, see {@link QuantMath#range}). The threshold
 * of an entry is the calibrated float abs-max (or outlier-clipped value) of the original node it
 * replaces.
 *
 * <p>Inputs are either integer entries (the quantized outputs of earlier nodes, the quantized
 * input {@code data}) or <em>float parameters</em>: the model's parameters stay float until a
 * hook requantizes them with {@link #requantParameter} (or {@link #requantize}, which dispatches).
 * {@link #scale} and {@link #precision} of a float parameter are errors.
 *
 * <p>Every primitive returns new entries whose scale, precision and threshold are recorded, so
 * they can be requantized again. Nodes a hook builds itself with {@link #op} are unknown to the
 * stage until {@link #describe}d. The stage adds the tight-precision clip and the output
 * requantization after the hook; hooks do not.
 */
public interface QuantizeContext extends OpContext, GraphBuilder {
  /** The input entries in the integer graph (integer entries or float parameters). */
  List<Entry> inputs();

  /**
   * Whether the user asked for this node's weights to be quantized per output channel
   * (QUANTIZE.GRANULARITY {@code channel}, or the node in QUANTIZE.CHANNEL_NAMES). Ops without
   * per-channel weights ignore it.
   */
  default boolean perChannelWeights() {
    return false;
  }

  /** Input {@code i}. */
  default Entry input(int i) {
    return inputs().get(i);
  }

  /** The float threshold of input {@code i} ({@code threshold(input(i))}). */
  default double inputThreshold(int i) {
    return threshold(input(i));
  }

  /** The float threshold of the node's output {@code 0}. */
  double outputThreshold();

  /** The scale of an integer entry; an error for a float parameter or an undescribed entry. */
  double scale(Entry e);

  /** The precision (bits) of an integer entry; an error for a float parameter or an undescribed entry. */
  int precision(Entry e);

  /** The float threshold of an entry (a float parameter included). */
  double threshold(Entry e);

  /** The entry with its scale and precision: {@code new Quantized(e, scale(e), precision(e))}. */
  default Quantized quantized(Entry e) {
    return new Quantized(e, scale(e), precision(e));
  }

  /** The requantization bit budget SHIFT_BITS (MRT default 5). */
  int shiftBits();

  /**
   * The op's default input precision: {@code @MrtOp(inputPrecision = ...)} (8 for Convolution,
   * 16 for adds, ...). An error when the op declares none (0).
   */
  int inputPrecision();

  /** The softmax lookup-table range SOFTMAX_LAMBD (MRT default 10). */
  double softmaxLambda();

  /**
   * MRT's {@code requant}: {@link #requantParameter} for a parameter, {@link #requantOperator}
   * otherwise, with MRT's default scale {@code R(precision)/threshold}.
   */
  default Quantized requantize(Entry x, int precision) {
    return requantize(x, precision, Double.NaN);
  }

  /**
   * MRT's {@code requant} with an exact output scale ({@code NaN}: MRT's default
   * {@code R(precision)/threshold}).
   */
  default Quantized requantize(Entry x, int precision, double scale) {
    return isParam(x) ? requantParameter(x, precision, scale) : requantOperator(x, precision, scale);
  }

  /** The first draft's form of {@link #requantize(Entry, int, double)} on input {@code i}. */
  default Entry requantize(int i, int precision, double scale) {
    return requantize(input(i), precision, scale).output();
  }

  /**
   * MRT's {@code requant_parameter}: a new integer parameter
   * {@code clip(roundHalfAway(W * scale), -R(p), R(p))} with attribute {@code precision = p}
   * ({@code scale} NaN: {@code R(p)/threshold(W)}). A parameter whose threshold is 0 becomes zeros
   * of precision 1 and scale 1.
   */
  Quantized requantParameter(Entry w, int precision, double scale);

  /**
   * MRT's {@code requant_operator}: brings an integer entry to {@code precision} bits.
   * With {@code sb = bitsOf(th * s_x) - precision}: if {@code sb > shiftBits()}, first a rounding
   * right shift by {@code sb}; then, when an exact {@code scale} is asked for or the input is still
   * wider than {@code precision}, a multiplication by the integer {@code frac} and a rounding right
   * shift by {@code -exp} with a saturating clip, where {@code frac * 2^exp = cvmFloat(scale / s, 32
   * - p)}. Otherwise the entry is returned as is (its scale unchanged, precision reported as
   * {@code precision}, as MRT does). An entry whose threshold is 0 is clipped to precision 1 (all
   * zeros). Never emits a left shift: a power-of-two factor becomes a multiplication.
   */
  Quantized requantOperator(Entry x, int precision, double scale);

  /**
   * MRT's {@code realize(X, sb, p)}: {@code sb == 0} a saturating {@code cvm_clip(p)};
   * {@code sb > 0} a rounding {@code cvm_right_shift(sb, p)}; {@code sb < 0} a multiplication by
   * the constant {@code 2^-sb} and a {@code cvm_clip(p)} (never {@code cvm_left_shift}, which the
   * reference CVM runtime cannot run). The result is described with the input's threshold, scale
   * {@code s * 2^-sb} and precision {@code p} when the input is described.
   */
  Entry realize(Entry x, int shiftBit, int precision);

  /**
   * MRT's {@code cvm_float(value, bits)}: {@code value ~= frac * 2^exp} with
   * {@code 0 <= frac <= 2^(bits-1)-1} holding at most {@code bits - 1} significant bits.
   */
  CvmFloat cvmFloat(double value, int bits);

  /** A new integer constant of shape {@code (1,)} with precision {@code bitsOf(value)} and scale 1. */
  Entry constant(String nameHint, long value);

  /**
   * A new integer parameter with attribute {@code precision}; every value must be an integer of
   * magnitude at most {@code R(precision)}. Described with scale 1 and threshold = its abs-max.
   */
  Entry integerParam(String nameHint, INDArray values, int precision);

  /**
   * MRT's {@code _quantize_table} (sigmoid, exp; plugins such as tanh): the input is requantized
   * exactly to {@code inputPrecision} bits ({@code s_x = R(ip)/th_x}), offset by {@code alpha =
   * R(ip)} and looked up with {@code cvm_lut} in a table of {@code 2*alpha+1} rows holding
   * {@code round(f(k / s_x) * s_o)} for {@code k = -alpha..alpha}, where {@code s_o =
   * R(outputPrecision) / max|f|}. The output is named after the node.
   */
  Quantized lookupTable(Entry x, DoubleUnaryOperator f, int inputPrecision, int outputPrecision);

  /** The node itself (same op, name and attributes) on new inputs. */
  default Entry rebuild(Entry... inputs) {
    return rebuild(node().attrs(), inputs);
  }

  /** The node itself (same op and name) with other attributes on new inputs. */
  Entry rebuild(Attrs attrs, Entry... inputs);

  /**
   * MRT's default quantize for shape and copy ops (relu, max pooling, flatten, reshape, ...): the
   * node rebuilt on its inputs, taking the scale and precision of input 0.
   */
  Quantized keepScale();

  /** Records scale, precision and threshold of an entry that the hook built with {@link #op}. */
  void describe(Entry e, double scale, int precision, double threshold);
}

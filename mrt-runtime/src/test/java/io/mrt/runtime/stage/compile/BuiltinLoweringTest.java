package io.mrt.runtime.stage.compile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Entry;
import io.mrt.api.graph.Graph;
import io.mrt.api.graph.Model;
import io.mrt.api.graph.Node;
import io.mrt.api.hook.OpException;
import io.mrt.runtime.MrtException;
import io.mrt.runtime.exec.cvm.CvmExecutor;
import io.mrt.runtime.io.cvm.CvmModel;
import io.mrt.runtime.io.cvm.CvmNode;
import io.mrt.runtime.registry.OpTable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The lowering of every built-in op that a quantized graph can hold: a small integer graph with
 * MXNet ops (as the quantize stage leaves them) is compiled with {@link CvmCompiler} through the
 * real op table, the emitted CVM operators and their {@code op_attrs} are checked, and the model
 * runs on the CVM executor on hand-computed integer inputs.
 */
class BuiltinLoweringTest {
  private static final OpTable OPS = OpTable.load();

  /** A quantized graph being built: the input {@code data} and integer parameters with their precisions. */
  private static final class Q {
    final Map<String, org.nd4j.linalg.api.ndarray.INDArray> params = new LinkedHashMap<>();

    Entry data(int precision) {
      return Node.variable("data", Attrs.of("precision", String.valueOf(precision))).out();
    }

    Entry param(String name, int precision, long[] shape, double... values) {
      params.put(name, Nd4j.create(values, shape, DataType.DOUBLE));
      return Node.variable(name, Attrs.of("precision", String.valueOf(precision))).out();
    }

    Compiled compile(long[] inputShape, Entry... heads) {
      CvmModel m = CvmCompiler.compile(new Model(Graph.of(heads), params), OPS, inputShape);
      return new Compiled(m, CvmExecutor.load(m, "test"));
    }
  }

  /** A compiled model and its executor. */
  private record Compiled(CvmModel model, CvmExecutor exec) {
    /** The operator nodes in graph order as {@code func_name op_attrs}. */
    List<String> ops() {
      List<String> out = new ArrayList<>();
      List<CvmNode> nodes = model.graph().nodes();
      for (int i = 0; i < nodes.size(); i++) {
        if (!nodes.get(i).isVariable()) {
          out.add(nodes.get(i).funcName() + " " + model.graph().attrs().opAttrs().get(i));
        }
      }
      return out;
    }

    int[] run(int... input) {
      return exec.run(input).outputs().get(0).values();
    }

    int[] out(int head, int... input) {
      return exec.run(input).outputs().get(head).values();
    }
  }

  private static Entry op(String op, String name, Attrs attrs, Entry... in) {
    return Node.op(op, name, attrs, in).out();
  }

  private static int[] iota(int from, int n) {
    int[] v = new int[n];
    for (int i = 0; i < n; i++) {
      v[i] = from + i;
    }
    return v;
  }

  @Test
  void convolutionLowersToConv2dWithEveryWindowAttribute() {
    Q q = new Q();
    Entry w = q.param("w", 8, new long[] {1, 1, 2, 2}, 1, 2, -1, 0);
    Entry b = q.param("b", 8, new long[] {1}, 10);
    Entry conv = op("Convolution", "conv", Attrs.of("kernel", "(2, 2)", "num_filter", "1"), q.data(8), w, b);
    Compiled c = q.compile(new long[] {1, 1, 3, 3}, conv);
    assertEquals(List.of("conv2d {\"channels\":\"1\",\"kernel_size\":\"(2, 2)\",\"strides\":\"(1, 1)\","
        + "\"padding\":\"(0, 0)\",\"dilation\":\"(1, 1)\",\"groups\":\"1\",\"layout\":\"NCHW\",\"kernel_layout\":\"OIHW\","
        + "\"use_bias\":\"True\"}"), c.ops());
    // x = 1..9 (3x3); y[i,j] = x[i,j] + 2 x[i,j+1] - x[i+1,j] + 10
    assertArrayEquals(new int[] {11, 13, 17, 19}, c.run(iota(1, 9)));
    assertArrayEquals(new long[] {1, 1, 2, 2}, c.exec().outputShape(0));
    assertEquals(20, c.exec().outputPrecision(0)); // max(8 + 8 + bits(4), 8) + 1
  }

  @Test
  void groupedConvolutionKeepsGroupsStridesAndPaddingWithoutBias() {
    Q q = new Q();
    Entry w = q.param("w", 8, new long[] {2, 1, 1, 1}, 2, -1);
    Entry conv = op("Convolution", "conv", Attrs.of("kernel", "(1, 1)", "num_filter", "2", "num_group", "2",
        "stride", "(2, 2)", "pad", "(1, 1)", "no_bias", "True"), q.data(8), w);
    Compiled c = q.compile(new long[] {1, 2, 3, 3}, conv);
    assertEquals(List.of("conv2d {\"channels\":\"2\",\"kernel_size\":\"(1, 1)\",\"strides\":\"(2, 2)\","
        + "\"padding\":\"(1, 1)\",\"dilation\":\"(1, 1)\",\"groups\":\"2\",\"layout\":\"NCHW\",\"kernel_layout\":\"OIHW\","
        + "\"use_bias\":\"False\"}"), c.ops());
    // taps at padded rows/cols -1, 1, 3: only the centre (1, 1) reads the input: 2*5 and -1*14
    assertArrayEquals(new int[] {0, 0, 0, 0, 10, 0, 0, 0, 0, 0, 0, 0, 0, -14, 0, 0, 0, 0}, c.run(iota(1, 18)));
  }

  @Test
  void dilatedConvolutionKeepsItsDilation() {
    Q q = new Q();
    Entry w = q.param("w", 8, new long[] {1, 1, 2, 2}, 1, 1, 1, 1);
    Entry conv = op("Convolution", "conv", Attrs.of("kernel", "(2, 2)", "num_filter", "1", "dilate", "(2, 2)",
        "no_bias", "True"), q.data(8), w);
    Compiled c = q.compile(new long[] {1, 1, 3, 3}, conv);
    assertEquals("conv2d {\"channels\":\"1\",\"kernel_size\":\"(2, 2)\",\"strides\":\"(1, 1)\",\"padding\":\"(0, 0)\","
        + "\"dilation\":\"(2, 2)\",\"groups\":\"1\",\"layout\":\"NCHW\",\"kernel_layout\":\"OIHW\",\"use_bias\":\"False\"}",
        c.ops().get(0));
    assertArrayEquals(new int[] {1 + 3 + 7 + 9}, c.run(iota(1, 9)));
  }

  @Test
  void fullyConnectedFlattensAFourDimensionalInputBeforeDense() {
    Q q = new Q();
    Entry w = q.param("w", 8, new long[] {2, 4}, 1, 1, 1, 1, 1, -1, 0, 2);
    Entry b = q.param("b", 8, new long[] {2}, 0, 5);
    Entry fc = op("FullyConnected", "fc", Attrs.of("num_hidden", "2"), q.data(8), w, b);
    Compiled c = q.compile(new long[] {2, 1, 2, 2}, fc);
    assertEquals(List.of("flatten {}", "dense {\"units\":\"2\",\"use_bias\":\"True\"}"), c.ops());
    assertArrayEquals(new int[] {10, 12, 2, 8}, c.run(1, 2, 3, 4, -1, 0, 1, 2));
    assertEquals(20, c.exec().outputPrecision(0));
  }

  @Test
  void fullyConnectedOnATwoDimensionalInputIsOneDenseWithoutBias() {
    Q q = new Q();
    Entry w = q.param("w", 8, new long[] {1, 3}, 3, 2, 1);
    Entry fc = op("FullyConnected", "fc", Attrs.of("num_hidden", "1", "no_bias", "True"), q.data(8), w);
    Compiled c = q.compile(new long[] {1, 3}, fc);
    assertEquals(List.of("dense {\"units\":\"1\",\"use_bias\":\"False\"}"), c.ops());
    assertArrayEquals(new int[] {10}, c.run(1, 2, 3));
  }

  @Test
  void activationReluAndReluLowerToRelu() {
    Q q = new Q();
    Entry a = op("Activation", "act", Attrs.of("act_type", "relu"), q.data(8));
    Entry r = op("relu", "r", Attrs.empty(), a);
    Compiled c = q.compile(new long[] {4}, r);
    assertEquals(List.of("relu {}", "relu {}"), c.ops());
    assertArrayEquals(new int[] {0, 0, 2, 0}, c.run(-3, 0, 2, -1));
  }

  @Test
  void maxPoolingLowersToMaxPool2d() {
    Q q = new Q();
    Entry p = op("Pooling", "pool", Attrs.of("kernel", "(2, 2)", "pool_type", "max", "stride", "(2, 2)"), q.data(8));
    Compiled c = q.compile(new long[] {1, 1, 4, 4}, p);
    assertEquals(List.of("max_pool2d {\"pool_size\":\"(2, 2)\",\"strides\":\"(2, 2)\",\"padding\":\"(0, 0)\","
        + "\"ceil_mode\":\"False\"}"), c.ops());
    assertArrayEquals(new int[] {6, 8, 14, 16}, c.run(iota(1, 16)));
  }

  @Test
  void theFullPoolingConventionIsCeilMode() {
    Q q = new Q();
    Entry p = op("Pooling", "pool", Attrs.of("kernel", "(2, 2)", "pool_type", "max", "stride", "(2, 2)",
        "pooling_convention", "full"), q.data(8));
    Compiled c = q.compile(new long[] {1, 1, 3, 3}, p);
    assertEquals(List.of("max_pool2d {\"pool_size\":\"(2, 2)\",\"strides\":\"(2, 2)\",\"padding\":\"(0, 0)\","
        + "\"ceil_mode\":\"True\"}"), c.ops());
    assertArrayEquals(new int[] {5, 6, 8, 9}, c.run(iota(1, 9)));
  }

  @Test
  void globalMaxPoolingIsAMaxPool2dOverTheWholePlane() {
    Q q = new Q();
    Entry p = op("Pooling", "pool", Attrs.of("kernel", "(1, 1)", "pool_type", "max", "global_pool", "True"), q.data(8));
    Compiled c = q.compile(new long[] {1, 2, 2, 3}, p);
    assertEquals(List.of("max_pool2d {\"pool_size\":\"(2, 3)\",\"strides\":\"(1, 1)\",\"padding\":\"(0, 0)\","
        + "\"ceil_mode\":\"False\"}"), c.ops());
    assertArrayEquals(new int[] {-1, 8}, c.run(-5, -3, -9, -1, -7, -2, 4, 0, 1, 2, 3, 8));
    assertArrayEquals(new long[] {1, 2, 1, 1}, c.exec().outputShape(0));
  }

  @Test
  void broadcastOpsKeepTheirNames() {
    Q q = new Q();
    Entry x = q.data(8);
    Entry b = q.param("b", 8, new long[] {3}, 2, 2, -3);
    Compiled c = q.compile(new long[] {2, 3},
        op("broadcast_add", "add", Attrs.empty(), x, b),
        op("broadcast_sub", "sub", Attrs.empty(), x, b),
        op("broadcast_mul", "mul", Attrs.empty(), x, b),
        op("broadcast_div", "div", Attrs.empty(), x, b),
        op("broadcast_greater", "gt", Attrs.empty(), x, b),
        op("broadcast_maximum", "max", Attrs.empty(), x, b));
    assertEquals(List.of("broadcast_add {}", "broadcast_sub {}", "broadcast_mul {}", "broadcast_div {}",
        "broadcast_greater {}", "broadcast_max {}"), c.ops());
    int[] x0 = {1, -2, 3, 4, 5, -6};
    assertArrayEquals(new int[] {3, 0, 0, 6, 7, -9}, c.out(0, x0));
    assertArrayEquals(new int[] {-1, -4, 6, 2, 3, -3}, c.out(1, x0));
    assertArrayEquals(new int[] {2, -4, -9, 8, 10, 18}, c.out(2, x0));
    assertArrayEquals(new int[] {0, -1, -1, 2, 2, 2}, c.out(3, x0)); // truncation toward zero
    assertArrayEquals(new int[] {0, 0, 1, 1, 1, 0}, c.out(4, x0));
    assertArrayEquals(new int[] {2, 2, 3, 4, 5, -3}, c.out(5, x0));
  }

  @Test
  void elementwiseAddAndSubKeepTheirNamesAndMulBecomesBroadcastMul() {
    Q q = new Q();
    Entry x = q.data(8);
    Entry one = q.param("one", 8, new long[] {2, 3}, 1, 1, 1, 1, 1, 2);
    Compiled c = q.compile(new long[] {2, 3},
        op("elemwise_add", "add", Attrs.empty(), x, one),
        op("elemwise_sub", "sub", Attrs.empty(), x, one),
        op("elemwise_mul", "mul", Attrs.empty(), x, one),
        op("_maximum", "max", Attrs.empty(), x, one));
    assertEquals(List.of("elemwise_add {}", "elemwise_sub {}", "broadcast_mul {}", "broadcast_max {}"), c.ops());
    int[] x0 = {1, -2, 3, 4, 5, -6};
    assertArrayEquals(new int[] {2, -1, 4, 5, 6, -4}, c.out(0, x0));
    assertArrayEquals(new int[] {0, -3, 2, 3, 4, -8}, c.out(1, x0));
    assertArrayEquals(new int[] {1, -2, 3, 4, 5, -12}, c.out(2, x0));
    assertArrayEquals(new int[] {1, 1, 3, 4, 5, 2}, c.out(3, x0));
  }

  @Test
  void minimumHasNoCvmOperatorAndIsRefusedNamingTheNode() {
    Q q = new Q();
    Entry x = q.data(8);
    Entry b = q.param("b", 8, new long[] {3}, 0, 0, 4);
    MrtException e = assertThrows(MrtException.class,
        () -> q.compile(new long[] {3}, op("_minimum", "mn", Attrs.empty(), x, b)));
    // the op table names the hook and the jar (its location depends on the build phase)
    String expected = "node mn (_maximum): the CVM has no minimum operator (broadcast_min and min are not registered "
        + "in the CVM runtime), so _minimum cannot be compiled to the CVM [lowerToCvm hook of ops-builtin (";
    assertEquals(expected, e.getMessage().substring(0, Math.min(expected.length(), e.getMessage().length())));
    assertEquals(OpException.class, e.getCause().getClass());
  }

  @Test
  void concatLowersToConcatenateOnTheNormalizedAxis() {
    Q q = new Q();
    Entry p = q.param("p", 8, new long[] {2, 1}, 9, 8);
    Compiled c = q.compile(new long[] {2, 2}, op("Concat", "cat", Attrs.of("dim", "-1", "num_args", "2"), q.data(8), p));
    assertEquals(List.of("concatenate {\"axis\":\"1\"}"), c.ops());
    assertArrayEquals(new int[] {1, 2, 9, 3, 4, 8}, c.run(1, 2, 3, 4));
  }

  @Test
  void reductionsListTheirAxesExplicitly() {
    Q q = new Q();
    Entry x = q.data(8);
    Compiled c = q.compile(new long[] {2, 3},
        op("sum", "s1", Attrs.of("axis", "(1,)"), x),
        op("sum", "s0", Attrs.of("axis", "(0,)", "keepdims", "True"), x),
        op("sum", "sx", Attrs.of("axis", "(1,)", "exclude", "True"), x),
        op("max", "m1", Attrs.of("axis", "1"), x));
    assertEquals(List.of(
        "sum {\"axis\":\"(1,)\",\"keepdims\":\"False\",\"exclude\":\"False\"}",
        "sum {\"axis\":\"(0,)\",\"keepdims\":\"True\",\"exclude\":\"False\"}",
        "sum {\"axis\":\"(0,)\",\"keepdims\":\"False\",\"exclude\":\"False\"}",
        "max {\"axis\":\"(1,)\",\"keepdims\":\"False\",\"exclude\":\"False\"}"), c.ops());
    int[] x0 = {1, -2, 3, 4, 5, -6};
    assertArrayEquals(new int[] {2, 3}, c.out(0, x0));
    assertArrayEquals(new int[] {5, 3, -3}, c.out(1, x0));
    assertArrayEquals(new long[] {1, 3}, c.exec().outputShape(1));
    assertArrayEquals(new int[] {5, 3, -3}, c.out(2, x0));
    assertArrayEquals(new int[] {3, 5}, c.out(3, x0));
  }

  @Test
  void aMaxOverEveryAxisOfNegativeValuesIsTheirMaximumNotTheRuntimesZero() {
    Q q = new Q();
    Compiled c = q.compile(new long[] {3}, op("max", "m", Attrs.empty(), q.data(8)));
    assertEquals(List.of("max {\"axis\":\"(0,)\",\"keepdims\":\"False\",\"exclude\":\"False\"}"), c.ops());
    assertArrayEquals(new int[] {-3}, c.run(-5, -3, -9));
  }

  @Test
  void aReductionOfNoAxisEmitsNothing() {
    Q q = new Q();
    Entry s = op("sum", "s", Attrs.of("axis", "(0, 1)", "exclude", "True"), q.data(8));
    Compiled c = q.compile(new long[] {1, 2}, op("relu", "r", Attrs.empty(), s));
    assertEquals(List.of("relu {}"), c.ops());
    assertArrayEquals(new int[] {0, 4}, c.run(-4, 4));
  }

  @Test
  void absAndNegativeKeepTheirNames() {
    Q q = new Q();
    Entry x = q.data(8);
    Compiled c = q.compile(new long[] {4}, op("abs", "a", Attrs.empty(), x), op("negative", "n", Attrs.empty(), x));
    assertEquals(List.of("abs {}", "negative {}"), c.ops());
    assertArrayEquals(new int[] {3, 0, 2, 7}, c.out(0, -3, 0, 2, -7));
    assertArrayEquals(new int[] {3, 0, -2, 7}, c.out(1, -3, 0, 2, -7));
  }

  @Test
  void shapeOpsWriteExplicitAttributes() {
    Q q = new Q();
    Entry x = q.data(8);
    Compiled c = q.compile(new long[] {2, 3, 1},
        op("squeeze", "sq", Attrs.empty(), x),
        op("transpose", "t", Attrs.empty(), op("Reshape", "r", Attrs.of("shape", "(0, -1)"), x)),
        op("expand_dims", "e", Attrs.of("axis", "-1"), x),
        op("Flatten", "f", Attrs.empty(), x));
    assertEquals(List.of("squeeze {\"axis\":\"(2,)\"}", "reshape {\"shape\":\"(2, 3)\"}", "transpose {\"axes\":\"(1, 0)\"}",
        "expand_dims {\"axis\":\"3\",\"num_newaxis\":\"1\"}", "flatten {}"), c.ops());
    int[] x0 = iota(1, 6);
    assertArrayEquals(x0, c.out(0, x0));
    assertArrayEquals(new long[] {2, 3}, c.exec().outputShape(0));
    assertArrayEquals(new int[] {1, 4, 2, 5, 3, 6}, c.out(1, x0));
    assertArrayEquals(new long[] {2, 3, 1, 1}, c.exec().outputShape(2));
    assertArrayEquals(new long[] {2, 3}, c.exec().outputShape(3));
  }

  @Test
  void tileAndRepeatKeepTheirRepetitions() {
    Q q = new Q();
    Entry x = q.data(8);
    Compiled c = q.compile(new long[] {2, 2},
        op("tile", "t", Attrs.of("reps", "(1, 2)"), x),
        op("repeat", "r1", Attrs.of("repeats", "2", "axis", "1"), x),
        op("repeat", "rn", Attrs.of("repeats", "2"), x));
    assertEquals(List.of("tile {\"reps\":\"(1, 2)\"}", "repeat {\"repeats\":\"2\",\"axis\":\"1\"}",
        "reshape {\"shape\":\"(4,)\"}", "repeat {\"repeats\":\"2\",\"axis\":\"0\"}"), c.ops());
    assertArrayEquals(new int[] {1, 2, 1, 2, 3, 4, 3, 4}, c.out(0, 1, 2, 3, 4));
    assertArrayEquals(new int[] {1, 1, 2, 2, 3, 3, 4, 4}, c.out(1, 1, 2, 3, 4));
    assertArrayEquals(new int[] {1, 1, 2, 2, 3, 3, 4, 4}, c.out(2, 1, 2, 3, 4));
    assertArrayEquals(new long[] {8}, c.exec().outputShape(2));
  }

  @Test
  void whereWidensANarrowConditionSoThatItsOutputPrecisionCoversXAndY() {
    Q q = new Q();
    Entry x = q.param("x", 16, new long[] {2, 2}, 100, 200, 300, 400);
    Entry y = q.param("y", 16, new long[] {2, 2}, -1, -2, -3, -4);
    Compiled c = q.compile(new long[] {2, 2}, op("where", "w", Attrs.empty(), q.data(8), x, y));
    assertEquals(List.of("cvm_clip {\"precision\":\"16\"}", "where {}"), c.ops());
    assertArrayEquals(new int[] {100, -2, 300, -4}, c.run(1, 0, -3, 0));
    assertEquals(16, c.exec().outputPrecision(0));
  }

  @Test
  void whereBroadcastsARowConditionToTheFullShapeFirst() {
    Q q = new Q();
    Entry x = q.param("x", 8, new long[] {2, 3}, 1, 2, 3, 4, 5, 6);
    Entry y = q.param("y", 8, new long[] {2, 3}, -1, -2, -3, -4, -5, -6);
    Compiled c = q.compile(new long[] {2}, op("where", "w", Attrs.empty(), q.data(8), x, y));
    assertEquals(List.of("reshape {\"shape\":\"(2, 1)\"}", "tile {\"reps\":\"(1, 3)\"}", "where {}"), c.ops());
    assertArrayEquals(new int[] {-1, -2, -3, 4, 5, 6}, c.run(0, 5));
  }

  @Test
  void slicesBecomeStridedSlicesWithExplicitBounds() {
    Q q = new Q();
    Entry x = q.data(8);
    Compiled c = q.compile(new long[] {3, 4},
        op("slice", "s", Attrs.of("begin", "(None, 1)", "end", "(None, None)", "step", "(-1, 2)"), x),
        op("slice_axis", "sa", Attrs.of("axis", "1", "begin", "1", "end", "-1"), x));
    assertEquals(List.of("strided_slice {\"begin\":\"(2, 1)\",\"end\":\"(-4, 4)\",\"stride\":\"(-1, 2)\"}",
        "strided_slice {\"begin\":\"(0, 1)\",\"end\":\"(3, 3)\",\"stride\":\"(1, 1)\"}"), c.ops());
    int[] x0 = iota(0, 12);
    assertArrayEquals(new int[] {9, 11, 5, 7, 1, 3}, c.out(0, x0));
    assertArrayEquals(new int[] {1, 2, 5, 6, 9, 10}, c.out(1, x0));
  }

  @Test
  void sliceLikeLowersWithTheNormalizedAxes() {
    Q q = new Q();
    Entry like = q.param("like", 1, new long[] {2, 2}, 0, 0, 0, 0);
    Compiled c = q.compile(new long[] {3, 4}, op("slice_like", "sl", Attrs.of("axes", "(-1,)"), q.data(8), like));
    assertEquals(List.of("slice_like {\"axis\":\"(1,)\"}"), c.ops());
    assertArrayEquals(new int[] {0, 1, 4, 5, 8, 9}, c.run(iota(0, 12)));
    assertArrayEquals(new long[] {3, 2}, c.exec().outputShape(0));
  }

  @Test
  void upSamplingLowersToUpsamplingWithItsScale() {
    Q q = new Q();
    Compiled c = q.compile(new long[] {1, 1, 2, 2},
        op("UpSampling", "up", Attrs.of("scale", "2", "sample_type", "nearest"), q.data(8)));
    assertEquals(List.of("upsampling {\"scale\":\"2\"}"), c.ops());
    assertArrayEquals(new int[] {1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4}, c.run(1, 2, 3, 4));
  }

  @Test
  void embeddingTakesRowsOfTheWeight() {
    Q q = new Q();
    Entry w = q.param("w", 8, new long[] {3, 2}, 1, 2, 3, 4, 5, 6);
    Compiled c = q.compile(new long[] {2},
        op("Embedding", "emb", Attrs.of("input_dim", "3", "output_dim", "2"), q.data(8), w));
    assertEquals(List.of("take {\"axis\":\"0\"}"), c.ops());
    assertArrayEquals(new int[] {5, 6, 1, 2}, c.run(2, 0));
    assertArrayEquals(new long[] {2, 2}, c.exec().outputShape(0));
  }

  @Test
  void clipKeepsTheIntegerBoundsOfTheQuantizeStage() {
    Q q = new Q();
    Compiled c = q.compile(new long[] {4}, op("clip", "cl", Attrs.of("a_min", "-10", "a_max", "20"), q.data(8)));
    assertEquals(List.of("clip {\"a_min\":\"-10\",\"a_max\":\"20\"}"), c.ops());
    assertArrayEquals(new int[] {-10, -5, 5, 20}, c.run(-100, -5, 5, 100));
    assertEquals(6, c.exec().outputPrecision(0)); // the CVM's nprec(20)
  }

  @Test
  void dropoutRoundingAndCastPassTheirInputThrough() {
    Q q = new Q();
    Entry e = q.data(8);
    e = op("Dropout", "d", Attrs.of("p", "0.5"), e);
    for (String r : List.of("floor", "ceil", "round", "fix")) {
      e = op(r, r, Attrs.empty(), e);
    }
    e = op("Cast", "c", Attrs.of("dtype", "int32"), e);
    Compiled c = q.compile(new long[] {3}, op("relu", "r", Attrs.empty(), e));
    assertEquals(List.of("relu {}"), c.ops());
    assertArrayEquals(new int[] {0, 0, 5}, c.run(-2, 0, 5));
  }

  @Test
  void greaterScalarComparesWithAConstantParameter() {
    Q q = new Q();
    Compiled c = q.compile(new long[] {4}, op("_greater_scalar", "gt", Attrs.of("scalar", "2"), q.data(8)));
    assertEquals(List.of("broadcast_greater {}"), c.ops());
    assertArrayEquals(new int[] {0, 0, 1, 1}, c.run(-1, 2, 3, 10));
    assertArrayEquals(new int[] {2}, c.model().params().asMap().get("gt_scalar").toIntArray());
  }

  @Test
  void mrtCustomOpsLowerToTheirCvmOperators() {
    Q q = new Q();
    double[] table = new double[100];
    for (int k = 0; k < table.length; k++) {
      table[k] = 2 * k;
    }
    Entry t = q.param("table", 9, new long[] {100}, table);
    Entry s = op("cvm_right_shift", "rs", Attrs.of("precision", "8", "shift_bit", "3"), q.data(16));
    Entry cl = op("cvm_clip", "cl", Attrs.of("precision", "7"), s);
    Compiled c = q.compile(new long[] {3}, op("cvm_lut", "lut", Attrs.of("in_dim", "100"), cl, t));
    assertEquals(List.of("cvm_right_shift {\"precision\":\"8\",\"shift_bit\":\"3\"}", "cvm_clip {\"precision\":\"7\"}",
        "cvm_lut {\"in_dim\":\"100\"}"), c.ops());
    // 1000/8 = 125, -1000/8 = -125, 37/8 = 4.625 -> 5; clip to 63; table[63], table[0] (clamped), table[5]
    assertArrayEquals(new int[] {126, 0, 10}, c.run(1000, -1000, 37));
    assertEquals(9, c.exec().outputPrecision(0));
  }
}

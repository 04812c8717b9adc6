package io.mrt.runtime.exec.fp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Graph;
import io.mrt.api.graph.Model;
import io.mrt.api.graph.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The run without an observer: BatchNorm folded into the Convolution before it, element-wise ops in place. */
class FloatExecutorPlainRunTest {
  private final Node data = Node.variable("data", Attrs.empty());
  // a 1x1 convolution with two filters: channel 0 = 2x + 0.5, channel 1 = -x + 1
  private final Node conv = Node.op("Convolution", "conv", Attrs.of("kernel", "(1, 1)", "num_filter", "2"),
      data.out(), Node.variable("w", Attrs.empty()).out(), Node.variable("b", Attrs.empty()).out());
  // sqrt(var + eps) = 2 and 4: channel 0 = (v - 1) * 1 / 2 + 0, channel 1 = (v - 2) * 3 / 4 + 1
  private final Node bn = Node.op("BatchNorm", "bn", Attrs.of("eps", "1", "fix_gamma", "False"), conv.out(),
      Node.variable("gamma", Attrs.empty()).out(), Node.variable("beta", Attrs.empty()).out(),
      Node.variable("mean", Attrs.empty()).out(), Node.variable("var", Attrs.empty()).out());
  private final Map<String, INDArray> params = Map.of(
      "w", Nd4j.create(new float[] {2, -1}, new long[] {2, 1, 1, 1}, 'c'),
      "b", Nd4j.create(new float[] {0.5f, 1}, new long[] {2}, 'c'),
      "gamma", Nd4j.create(new float[] {1, 3}, new long[] {2}, 'c'),
      "beta", Nd4j.create(new float[] {0, 1}, new long[] {2}, 'c'),
      "mean", Nd4j.create(new float[] {1, 2}, new long[] {2}, 'c'),
      "var", Nd4j.create(new float[] {3, 15}, new long[] {2}, 'c'));
  private static final float[] BN_OUT = {0.75f, 1.75f, 2.75f, 3.75f, -0.5f, -1.25f, -2f, -2.75f};

  private static INDArray x() {
    return Nd4j.create(new float[] {1, 2, 3, 4}, new long[] {1, 1, 2, 2}, 'c');
  }

  @Test
  void aBatchNormReadingOnlyAConvolutionFoldsIntoItInThePlainRun() {
    FloatExecutor ex = new FloatExecutor(new Model(Graph.of(bn.out()), params));
    assertArrayEquals(BN_OUT, ex.run(x()).get(0).reshape(8).toFloatVector());
    assertEquals(1, ex.plainStepCount(), "conv and bn run as one convolution");
  }

  @Test
  void anObservedRunStillShowsTheConvolutionAndTheBatchNormApart() {
    FloatExecutor ex = new FloatExecutor(new Model(Graph.of(bn.out()), params));
    List<String> seen = new ArrayList<>();
    List<INDArray> out = ex.run(Map.of("data", x()), (node, in, o) ->
        seen.add(node.name() + "=" + java.util.Arrays.toString(o.get(0).reshape(8).toFloatVector())));
    assertEquals(List.of("conv=[2.5, 4.5, 6.5, 8.5, 0.0, -1.0, -2.0, -3.0]",
        "bn=[0.75, 1.75, 2.75, 3.75, -0.5, -1.25, -2.0, -2.75]"), seen);
    assertArrayEquals(BN_OUT, out.get(0).reshape(8).toFloatVector());
  }

  @Test
  void aConvolutionWhoseOutputIsAlsoAGraphOutputDoesNotFold() {
    FloatExecutor ex = new FloatExecutor(new Model(Graph.of(conv.out(), bn.out()), params));
    List<INDArray> out = ex.run(x());
    assertArrayEquals(new float[] {2.5f, 4.5f, 6.5f, 8.5f, 0, -1, -2, -3}, out.get(0).reshape(8).toFloatVector());
    assertArrayEquals(BN_OUT, out.get(1).reshape(8).toFloatVector());
    assertEquals(2, ex.plainStepCount());
  }

  @Test
  void inPlaceOpsNeverWriteIntoTheInputOrAValueReadLater() {
    // r1 = relu(data) (data is the caller's); r2 = relu(r1) (r1 is read again by sum); out = r1 + r2
    Node r1 = Node.op("relu", "r1", Attrs.empty(), data.out());
    Node r2 = Node.op("relu", "r2", Attrs.empty(), r1.out());
    Node sum = Node.op("elemwise_add", "sum", Attrs.empty(), r1.out(), r2.out());
    FloatExecutor ex = new FloatExecutor(new Model(Graph.of(sum.out()), Map.of()));
    INDArray in = Nd4j.create(new float[] {-1, 2, -3, 4}, new long[] {4}, 'c');
    assertArrayEquals(new float[] {0, 4, 0, 8}, ex.run(in).get(0).toFloatVector());
    assertArrayEquals(new float[] {-1, 2, -3, 4}, in.toFloatVector(), "the input is unchanged");
    assertArrayEquals(new float[] {0, 4, 0, 8}, ex.run(in).get(0).toFloatVector(), "a second run gives the same");
  }

  @Test
  void aGraphOutputReadByALaterNodeIsNotOverwritten() {
    Node r1 = Node.op("relu", "r1", Attrs.empty(), data.out());
    Node twice = Node.op("elemwise_add", "twice", Attrs.empty(), r1.out(), r1.out());
    Node r2 = Node.op("relu", "r2", Attrs.empty(), twice.out());
    FloatExecutor ex = new FloatExecutor(new Model(Graph.of(r1.out(), r2.out()), Map.of()));
    List<INDArray> out = ex.run(Nd4j.create(new float[] {-1, 2}, new long[] {2}, 'c'));
    assertArrayEquals(new float[] {0, 2}, out.get(0).toFloatVector());
    assertArrayEquals(new float[] {0, 4}, out.get(1).toFloatVector());
  }

  /**
   * conv1 (1x1: x0 + x1 and 3·x1 - x0) -> relu (also a graph output) and conv2 (1x1: r0 + 0.5 and
   * r0 + r1) -> add(relu, conv2) -> clip(0, 6) -> Flatten: between the convolutions, relu, add and
   * clip the activations may stay NHWC; the graph outputs and Flatten (which needs row-major) get
   * row-major arrays with the exact values, on every run, equal to the observed run's.
   */
  @Test
  void activationsMayStayNhwcBetweenConvReluAddAndClipButOutputsAndOtherReadersGetRowMajorValues() {
    Node c1 = Node.op("Convolution", "c1", Attrs.of("kernel", "(1, 1)", "num_filter", "2", "no_bias", "True"),
        data.out(), Node.variable("w1", Attrs.empty()).out());
    Node r = Node.op("relu", "r", Attrs.empty(), c1.out());
    Node c2 = Node.op("Convolution", "c2", Attrs.of("kernel", "(1, 1)", "num_filter", "2"), r.out(),
        Node.variable("w2", Attrs.empty()).out(), Node.variable("b2", Attrs.empty()).out());
    Node add = Node.op("elemwise_add", "add", Attrs.empty(), r.out(), c2.out());
    Node clip = Node.op("clip", "clip", Attrs.of("a_min", "0", "a_max", "6"), add.out());
    Node flat = Node.op("Flatten", "flat", Attrs.empty(), clip.out());
    Map<String, INDArray> p = Map.of(
        "w1", Nd4j.create(new float[] {1, 1, -1, 3}, new long[] {2, 2, 1, 1}, 'c'),
        "w2", Nd4j.create(new float[] {1, 0, 1, 1}, new long[] {2, 2, 1, 1}, 'c'),
        "b2", Nd4j.create(new float[] {0.5f, 0}, new long[] {2}, 'c'));
    FloatExecutor ex = new FloatExecutor(new Model(Graph.of(flat.out(), r.out()), p));
    // x0 = 1, 2, 3, 4; x1 = -1, 0, 1, 2 (one image, 2x2)
    INDArray in = Nd4j.create(new float[] {1, 2, 3, 4, -1, 0, 1, 2}, new long[] {1, 2, 2, 2}, 'c');
    // conv1: 0, 2, 4, 6 | -4, -2, 0, 2; relu: 0, 2, 4, 6 | 0, 0, 0, 2; conv2: 0.5, 2.5, 4.5, 6.5 | 0, 2, 4, 8
    // add: 0.5, 4.5, 8.5, 12.5 | 0, 2, 4, 10; clip: 0.5, 4.5, 6, 6 | 0, 2, 4, 6
    float[] flatOut = {0.5f, 4.5f, 6, 6, 0, 2, 4, 6};
    float[] reluOut = {0, 2, 4, 6, 0, 0, 0, 2};
    for (int run = 0; run < 2; run++) {
      List<INDArray> out = ex.run(in);
      assertArrayEquals(new long[] {1, 8}, out.get(0).shape());
      assertArrayEquals(flatOut, out.get(0).dup('c').data().asFloat());
      assertArrayEquals(new long[] {4, 2, 1}, java.util.Arrays.copyOfRange(out.get(1).stride(), 1, 4),
          "a graph output is row-major (NHWC would be 1, 4, 2)");
      assertArrayEquals(reluOut, out.get(1).dup('c').data().asFloat());
    }
    List<INDArray> observed = ex.run(Map.of("data", in), (node, i, o) -> { });
    assertArrayEquals(flatOut, observed.get(0).dup('c').data().asFloat());
    assertArrayEquals(new float[] {1, 2, 3, 4, -1, 0, 1, 2}, in.dup('c').data().asFloat(), "the input is unchanged");
  }
}

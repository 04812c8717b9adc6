package io.mrt.ops;

import static io.mrt.ops.OpHarness.arr;
import static io.mrt.ops.OpHarness.assertArray;
import static io.mrt.ops.OpHarness.f;
import static io.mrt.ops.OpHarness.forward;
import static io.mrt.ops.OpHarness.s;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.mrt.api.graph.Attrs;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Activations as NCHW-shaped views of NHWC buffers ({@code nhwc.permute(0, 3, 1, 2)}), which
 * oneDNN's convolution reads and writes without reordering: the convolution gives one when the
 * caller keeps layouts (ForwardContext.mayKeepLayout), reads one as is, and relu, elemwise_add and
 * clip work on one in place; every value is the one of the row-major computation, bit for bit.
 */
class LayoutTest {
  private static final Attrs CONV = Attrs.of("kernel", "(3, 3)", "pad", "(1, 1)", "num_filter", "4");

  /** The same values as an NCHW-shaped view of an NHWC buffer. */
  private static INDArray nhwcView(INDArray nchw) {
    return nchw.permute(0, 2, 3, 1).dup('c').permute(0, 3, 1, 2);
  }

  private static int[] bits(INDArray a) {
    float[] v = a.dup('c').reshape(a.length()).toFloatVector();
    int[] b = new int[v.length];
    for (int i = 0; i < v.length; i++) {
      b[i] = Float.floatToRawIntBits(v[i]);
    }
    return b;
  }

  /** Input 2x3x5x5 of (i mod 7 - 3) / 4, weights 4x3x3x3 of (i mod 5 - 2) / 8, bias 0.25, -0.5, 1, 0. */
  private static INDArray[] convInputs() {
    float[] x = new float[2 * 3 * 5 * 5];
    for (int i = 0; i < x.length; i++) {
      x[i] = (i % 7 - 3) / 4f;
    }
    float[] w = new float[4 * 3 * 3 * 3];
    for (int i = 0; i < w.length; i++) {
      w[i] = (i % 5 - 2) / 8f;
    }
    return new INDArray[] {arr(x, 2, 3, 5, 5), arr(w, 4, 3, 3, 3), arr(f(0.25, -0.5, 1, 0), 4)};
  }

  @Test
  void convolutionGivesAnNhwcViewWhenTheCallerKeepsLayoutsWithTheSameBits() {
    INDArray[] in = convInputs();
    INDArray rowMajor = forward("Convolution", CONV, new boolean[3], false, in).get(0);
    INDArray kept = forward("Convolution", CONV, new boolean[3], true, in).get(0);
    assertArrayEquals(s(2, 4, 5, 5), kept.shape());
    assertArrayEquals(s(4 * 5 * 5, 5 * 5, 5, 1), rowMajor.stride());
    assertArrayEquals(s(5 * 5 * 4, 1, 5 * 4, 4), kept.stride(), "NHWC strides");
    assertArrayEquals(bits(rowMajor), bits(kept));
  }

  @Test
  void convolutionReadsAnNhwcViewInputWithTheSameBits() {
    INDArray[] in = convInputs();
    INDArray rowMajor = forward("Convolution", CONV, new boolean[3], false, in).get(0);
    INDArray fromView = forward("Convolution", CONV, new boolean[3], false, nhwcView(in[0]), in[1], in[2]).get(0);
    assertArrayEquals(s(4 * 5 * 5, 5 * 5, 5, 1), fromView.stride(), "row-major unless the caller keeps layouts");
    assertArrayEquals(bits(rowMajor), bits(fromView));
  }

  @Test
  void reluAndElemwiseAddWorkInPlaceOnNhwcViewsAndKeepTheirLayout() {
    // x = [[[[-1, 2]], [[3, -4]]]] (N=1, C=2, H=1, W=2), y = 10 * x
    INDArray x = nhwcView(arr(f(-1, 2, 3, -4), 1, 2, 1, 2));
    INDArray y = nhwcView(arr(f(-10, 20, 30, -40), 1, 2, 1, 2));
    INDArray r = forward("relu", Attrs.empty(), new boolean[] {true}, x).get(0);
    assertSame(x, r);
    assertArrayEquals(s(4, 1, 4, 2), r.stride());
    assertArray(s(1, 2, 1, 2), f(0, 2, 3, 0), r);
    INDArray sum = forward("elemwise_add", Attrs.empty(), new boolean[] {true, true}, r, y).get(0);
    assertSame(r, sum);
    assertArray(s(1, 2, 1, 2), f(-10, 22, 33, -40), sum);
  }

  @Test
  void clipWritesIntoAnNhwcViewInPlaceAndCopiesOneInCOrderOtherwise() {
    // relu6 of [[[[-1, 7]], [[3, 6.5]]]]
    Attrs relu6 = Attrs.of("a_min", "0", "a_max", "6");
    INDArray x = nhwcView(arr(f(-1, 7, 3, 6.5), 1, 2, 1, 2));
    INDArray copy = forward("clip", relu6, new boolean[] {false}, x).get(0);
    assertArrayEquals(s(4, 2, 2, 1), copy.stride());
    assertArray(s(1, 2, 1, 2), f(0, 6, 3, 6), copy);
    assertArray(s(1, 2, 1, 2), f(-1, 7, 3, 6.5), x);
    INDArray in = forward("clip", relu6, new boolean[] {true}, x).get(0);
    assertSame(x, in);
    assertArrayEquals(s(4, 1, 4, 2), in.stride());
    assertArray(s(1, 2, 1, 2), f(0, 6, 3, 6), in);
  }

  @Test
  void aDepthwiseConvolutionReadsAnNhwcViewAndGivesOneWhenAllowedWithTheSameBits() {
    // 3 channels, one filter each (MobileNet's depthwise layers): weights 3x1x3x3
    Attrs dw = Attrs.of("kernel", "(3, 3)", "pad", "(1, 1)", "num_filter", "3", "num_group", "3");
    INDArray[] in = convInputs();
    INDArray w = in[1].get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 3),
        org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 1)).dup('c');
    INDArray b = arr(f(0.25, -0.5, 1), 3);
    INDArray rowMajor = forward("Convolution", dw, new boolean[3], false, in[0], w, b).get(0);
    INDArray fromView = forward("Convolution", dw, new boolean[3], false, nhwcView(in[0]), w, b).get(0);
    INDArray kept = forward("Convolution", dw, new boolean[3], true, nhwcView(in[0]), w, b).get(0);
    assertArrayEquals(s(2, 3, 5, 5), rowMajor.shape());
    assertArrayEquals(s(3 * 5 * 5, 5 * 5, 5, 1), fromView.stride());
    assertArrayEquals(s(5 * 5 * 3, 1, 5 * 3, 3), kept.stride(), "NHWC strides");
    assertArrayEquals(bits(rowMajor), bits(fromView));
    assertArrayEquals(bits(rowMajor), bits(kept));
  }
}

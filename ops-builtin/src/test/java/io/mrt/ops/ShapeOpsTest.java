package io.mrt.ops;

import static io.mrt.ops.OpHarness.arr;
import static io.mrt.ops.OpHarness.assertArray;
import static io.mrt.ops.OpHarness.f;
import static io.mrt.ops.OpHarness.forward;
import static io.mrt.ops.OpHarness.forward1;
import static io.mrt.ops.OpHarness.infer;
import static io.mrt.ops.OpHarness.infer1;
import static io.mrt.ops.OpHarness.iota;
import static io.mrt.ops.OpHarness.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.OpException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ShapeOpsTest {
  private static final float[] ONE_TO_EIGHT = f(1, 2, 3, 4, 5, 6, 7, 8);

  @Test
  void flattenKeepsTheBatchAxis() {
    assertArray(s(2, 4), ONE_TO_EIGHT, forward1("Flatten", Attrs.empty(), iota(2, 2, 2)));
  }

  /** The examples of MXNet's Reshape documentation. */
  @ParameterizedTest(name = "{0} reshaped by {1} is {2}")
  @CsvSource(delimiter = ';', value = {
      "(2, 3, 4); (4, 0, 2); (4, 3, 2)",
      "(2, 3, 4); (2, 0, 0); (2, 3, 4)",
      "(2, 3, 4); (6, 1, -1); (6, 1, 4)",
      "(2, 3, 4); (3, -1, 8); (3, 1, 8)",
      "(2, 3, 4); (-1,); (24,)",
      "(2, 3, 4); (-2,); (2, 3, 4)",
      "(2, 3, 4); (2, -2); (2, 3, 4)",
      "(2, 3, 4); (-2, 1, 1); (2, 3, 4, 1, 1)",
      "(2, 3, 4); (-3, 4); (6, 4)",
      "(2, 3, 4, 5); (-3, -3); (6, 20)",
      "(2, 3, 4); (0, -3); (2, 12)",
      "(2, 3, 4); (-3, -2); (6, 4)",
      "(2, 3, 4); (-4, 1, 2, -2); (1, 2, 3, 4)",
      "(2, 3, 4); (2, -4, -1, 3, -2); (2, 1, 3, 4)"})
  void reshapeSpecialCodes(String in, String codes, String out) {
    Shape x = Shape.of(io.mrt.api.graph.Attrs.parseLongs("in", in));
    assertEquals(out, infer1("Reshape", Attrs.of("shape", codes), x).toString());
  }

  @Test
  void reshapeReverseMatchesCodesFromTheRight() {
    assertEquals(Shape.of(40, 5), infer1("Reshape", Attrs.of("shape", "(-1, 0)"), Shape.of(10, 5, 4)));
    assertEquals(Shape.of(50, 4),
        infer1("Reshape", Attrs.of("shape", "(-1, 0)", "reverse", "True"), Shape.of(10, 5, 4)));
  }

  @Test
  void reshapeForwardKeepsRowMajorOrderAndRefusesBadSizes() {
    assertArray(s(4, 2), ONE_TO_EIGHT, forward1("Reshape", Attrs.of("shape", "(-1, 2)"), iota(2, 2, 2)));
    OpException e = assertThrows(OpException.class,
        () -> infer1("Reshape", Attrs.of("shape", "(3, -1)"), Shape.of(2, 2, 2)));
    assertEquals("node n (Reshape): cannot reshape (2, 2, 2) into (3, -1)", e.getMessage());
  }

  @Test
  void transposeReversesByDefaultAndPermutesByAxes() {
    assertArray(s(3, 2), f(1, 4, 2, 5, 3, 6), forward1("transpose", Attrs.empty(), iota(2, 3)));
    assertArray(s(2, 2, 2), f(1, 2, 5, 6, 3, 4, 7, 8), forward1("transpose", Attrs.of("axes", "(1, 0, 2)"), iota(2, 2, 2)));
  }

  @Test
  void concatJoinsAlongDim() {
    var y = forward1("Concat", Attrs.of("dim", "1", "num_args", "2"), arr(f(1, 2), 1, 1, 2), arr(f(3, 4, 5, 6), 1, 2, 2));
    assertArray(s(1, 3, 2), f(1, 2, 3, 4, 5, 6), y);
    assertArray(s(1, 4), f(1, 2, 3, 4), forward1("concat", Attrs.of("dim", "-1"), arr(f(1, 2), 1, 2), arr(f(3, 4), 1, 2)));
    assertThrows(OpException.class, () -> infer1("Concat", Attrs.of("dim", "1"), Shape.of(1, 2, 3), Shape.of(2, 2, 3)));
  }

  @Test
  void expandDimsAndSqueeze() {
    assertEquals(Shape.of(2, 1, 3), infer1("expand_dims", Attrs.of("axis", "1"), Shape.of(2, 3)));
    assertEquals(Shape.of(2, 3, 1), infer1("expand_dims", Attrs.of("axis", "-1"), Shape.of(2, 3)));
    assertArray(s(2, 1, 3), f(1, 2, 3, 4, 5, 6), forward1("expand_dims", Attrs.of("axis", "1"), iota(2, 3)));
    assertArray(s(3), f(1, 2, 3), forward1("squeeze", Attrs.empty(), iota(1, 3, 1)));
    assertEquals(Shape.of(1, 3), infer1("squeeze", Attrs.of("axis", "(2,)"), Shape.of(1, 3, 1)));
    assertEquals(Shape.of(1), infer1("squeeze", Attrs.empty(), Shape.of(1, 1)));
    assertThrows(OpException.class, () -> infer1("squeeze", Attrs.of("axis", "(1,)"), Shape.of(1, 3, 1)));
  }

  @Test
  void sliceWithNoneNegativeIndicesAndNegativeSteps() {
    var x = iota(3, 4); // 1..12
    assertArray(s(2, 2), f(2, 3, 6, 7), forward1("slice", Attrs.of("begin", "(0, 1)", "end", "(2, 3)"), x));
    assertArray(s(3, 4), f(9, 10, 11, 12, 5, 6, 7, 8, 1, 2, 3, 4),
        forward1("slice", Attrs.of("begin", "(None,)", "end", "(None,)", "step", "(-1,)"), x));
    assertArray(s(1, 2), f(9, 11),
        forward1("slice", Attrs.of("begin", "(-1, None)", "end", "(None, None)", "step", "(1, 2)"), x));
    assertArray(s(2, 2), f(12, 10, 8, 6),
        forward1("slice", Attrs.of("begin", "(2, 3)", "end", "(0, 0)", "step", "(-1, -2)"), x));
    assertEquals(Shape.of(0, 4), infer1("slice", Attrs.of("begin", "(2,)", "end", "(1,)"), Shape.of(3, 4)));
  }

  @Test
  void sliceAxisTakesARangeOfOneAxis() {
    var x = iota(3, 4);
    assertArray(s(3, 3), f(2, 3, 4, 6, 7, 8, 10, 11, 12), forward1("slice_axis", Attrs.of("axis", "1", "begin", "1"), x));
    assertArray(s(3, 1), f(3, 7, 11), forward1("slice_axis", Attrs.of("axis", "-1", "begin", "-2", "end", "-1"), x));
    assertThrows(OpException.class, () -> infer1("slice_axis", Attrs.of("axis", "1", "begin", "3", "end", "2"),
        Shape.of(3, 4)));
  }

  @Test
  void sliceChannelSplitsIntoEqualParts() {
    List<org.nd4j.linalg.api.ndarray.INDArray> parts =
        forward("SliceChannel", Attrs.of("num_outputs", "2", "axis", "1"), iota(2, 4));
    assertEquals(2, parts.size());
    assertArray(s(2, 2), f(1, 2, 5, 6), parts.get(0));
    assertArray(s(2, 2), f(3, 4, 7, 8), parts.get(1));
    List<Shape> squeezed = infer("split", Attrs.of("num_outputs", "4", "squeeze_axis", "True"), Shape.of(2, 4));
    assertEquals(List.of(Shape.of(2), Shape.of(2), Shape.of(2), Shape.of(2)), squeezed);
    assertArray(s(2), f(4, 8), forward("split", Attrs.of("num_outputs", "4", "squeeze_axis", "True"), iota(2, 4)).get(3));
  }

  @Test
  void upSamplingNearestRepeatsEachPixel() {
    var y = forward1("UpSampling", Attrs.of("scale", "2", "sample_type", "nearest"), iota(1, 1, 2, 2));
    assertArray(s(1, 1, 4, 4), f(1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4), y);
  }

  @Test
  void dropoutIsACopyAtInference() {
    var x = iota(2, 2);
    var y = forward1("Dropout", Attrs.of("p", "0.5"), x);
    assertNotSame(x, y);
    assertArray(s(2, 2), f(1, 2, 3, 4), y);
  }
}

package io.mrt.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Node;
import io.mrt.api.hook.ForwardContext;
import io.mrt.api.hook.OpException;
import io.mrt.api.hook.PrecisionContext;
import io.mrt.api.graph.Shape;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The MRT custom ops are exact integer ops (CVM_OPS.md sections 2 and 3). */
class CvmOpsForwardTest {
  private static ForwardContext ctx(String op, Attrs attrs, INDArray... inputs) {
    Node n = Node.op(op, op + "0", attrs);
    return new ForwardContext() {
      @Override
      public Node node() {
        return n;
      }

      @Override
      public Attrs attrs() {
        return attrs;
      }

      @Override
      public List<INDArray> inputs() {
        return List.of(inputs);
      }
    };
  }

  private static INDArray d(double... v) {
    return Nd4j.create(v, new long[] {v.length}, DataType.DOUBLE);
  }

  private static double[] values(INDArray a) {
    return a.dup('c').castTo(DataType.DOUBLE).data().asDouble();
  }

  @Test
  void cvmClipSaturatesToThePrecisionRange() {
    // precision 4: R = 7, so -100 -> -7 and 100 -> 7 (CVM_OPS.md section 6)
    INDArray y = new CvmClip().forward(ctx("cvm_clip", Attrs.of("precision", "4"), d(-100, -7, 0, 6, 100))).get(0);
    assertArrayEquals(new double[] {-7, -7, 0, 6, 7}, values(y));
    assertEquals(DataType.DOUBLE, y.dataType());
  }

  @Test
  void cvmRightShiftRoundsHalfUpThenSaturates() {
    // p = 8, b = 2: y = clip(floor(x / 4 + 1/2), -127, 127)
    // 5/4 = 1.25 -> 1; 6/4 = 1.5 -> 2; -6/4 = -1.5 -> -1 (half up); -7/4 = -1.75 -> -2;
    // 1000/4 = 250 -> 127; -1000/4 -> -127
    INDArray y = new CvmRightShift().forward(ctx("cvm_right_shift",
        Attrs.of("precision", "8", "shift_bit", "2"), d(5, 6, -6, -7, 1000, -1000))).get(0);
    assertArrayEquals(new double[] {1, 2, -1, -2, 127, -127}, values(y));
  }

  @Test
  void cvmRightShiftMatchesTheKernelBranchesAtTheInt32Edge() {
    // p + b >= 32 (p = 24, b = 8): no clip, ((x >> 7) + 1) >> 1
    assertEquals(8388608, CvmRightShift.shift(2147483647L, 24, 8)); // R(24) + 1: the kernel's edge case
    // b >= 31: x >> 31
    assertEquals(-1, CvmRightShift.shift(-5, 8, 31));
    assertEquals(0, CvmRightShift.shift(5, 8, 31));
    // p == 1: R = 0, always 0
    assertEquals(0, CvmRightShift.shift(12345, 1, 3));
    // normal branch equals clip(floor(x / 2^b + 1/2))
    for (long x = -600; x <= 600; x++) {
      long expected = Math.max(-127, Math.min(127, (long) Math.floor(x / 4.0 + 0.5)));
      assertEquals(expected, CvmRightShift.shift(x, 8, 2), "x=" + x);
    }
  }

  @Test
  void cvmRightShiftIsExactBeyondFloat32() {
    // 2^30 + 3 is not a float32; in float64 the shift by 4 gives floor((2^30 + 3) / 16 + 1/2) = 2^26
    INDArray y = new CvmRightShift().forward(ctx("cvm_right_shift",
        Attrs.of("precision", "31", "shift_bit", "4"), d(1073741827))).get(0);
    assertArrayEquals(new double[] {67108864}, values(y));
  }

  @Test
  void cvmLutLooksUpClampedIndices() {
    INDArray table = Nd4j.create(new double[] {10, 20, 30, 40}, new long[] {4, 1}, DataType.DOUBLE);
    INDArray x = Nd4j.create(new double[] {0, 3, -2, 9, 1, 2}, new long[] {2, 3}, DataType.DOUBLE);
    INDArray y = new CvmLut().forward(ctx("cvm_lut", Attrs.of("in_dim", "4"), x, table)).get(0);
    assertArrayEquals(new long[] {2, 3}, y.shape());
    assertArrayEquals(new double[] {10, 40, 10, 40, 20, 30}, values(y));
  }

  @Test
  void precisionRulesFollowTheCvm() {
    assertEquals(List.of(6), new CvmClip().inferPrecision(pctx(Attrs.of("precision", "6"), 20)));
    assertEquals(List.of(8), new CvmRightShift().inferPrecision(pctx(Attrs.of("precision", "8", "shift_bit", "3"), 20)));
    assertEquals(List.of(16), new CvmLut().inferPrecision(pctx(Attrs.of("in_dim", "255"), 9, 16)));
    OpException e = assertThrows(OpException.class,
        () -> new CvmClip().inferPrecision(pctx(Attrs.of("precision", "33"), 8)));
    assertEquals("node cvm0 (cvm): attribute 'precision' must be in [1, 32], found 33", e.getMessage());
  }

  private static PrecisionContext pctx(Attrs attrs, Integer... precs) {
    Node n = Node.op("cvm", "cvm0", attrs);
    return new PrecisionContext() {
      @Override
      public Node node() {
        return n;
      }

      @Override
      public Attrs attrs() {
        return attrs;
      }

      @Override
      public List<Integer> inputPrecisions() {
        return List.of(precs);
      }

      @Override
      public List<Shape> inputShapes() {
        return List.of();
      }

      @Override
      public List<Shape> outputShapes() {
        return List.of();
      }

      @Override
      public Optional<INDArray> paramValue(int i) {
        return Optional.empty();
      }
    };
  }
}

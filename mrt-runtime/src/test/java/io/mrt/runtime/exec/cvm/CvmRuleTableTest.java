package io.mrt.runtime.exec.cvm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mrt.annotations.cvm.CvmRules;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The executor takes its operators' names, arities, storage sharing and precision rules from the
 * table of CVM operator rules, and its cvm_right_shift loop is the table's rounding rule.
 */
class CvmRuleTableTest {
  @Test
  void theExecutorImplementsExactlyTheOperatorsOfTheTable() {
    assertEquals(CvmRules.names(), CvmOps.names());
    for (String name : CvmRules.names()) {
      assertEquals(CvmRules.get(name).outputs(), CvmOps.get(name).numOutputs(), name);
      assertEquals(CvmRules.get(name).sharesStorage(), CvmOps.get(name).mayShareStorage(), name);
    }
    assertEquals(CvmRules.sharingStorage(), io.mrt.runtime.io.cvm.CvmStoragePlan.IN_PLACE_OPS);
  }

  /**
   * For every precision 1..32 and shift 1..32, the loop over int32 values (branches taken once per
   * node) gives what the table's rule gives one value at a time, at the int32 edges and around the
   * saturation bounds; the int32 kernel differs from the rule on integers only where its rounding
   * add wraps (2^31 - 1 shifted by 1 bit, without saturation).
   */
  @Test
  void theRightShiftLoopIsTheTablesRoundingRule() {
    ElementwiseOps.RightShift op = (ElementwiseOps.RightShift) CvmOps.get("cvm_right_shift");
    NodeContext ctx = new NodeContext("test", 0, "shift", "cvm_right_shift");
    for (int p = 1; p <= 32; p++) {
      for (int b = 1; b <= 32; b++) {
        long r = (1L << (p - 1)) - 1;
        long bound = p + b >= 32 ? Integer.MAX_VALUE : (2 * r + 1) << (b - 1); // the saturation bound
        int[] x = {0, 1, -1, 2, -2, 3, -3, Integer.MAX_VALUE, Integer.MIN_VALUE, Integer.MAX_VALUE - 1,
            Integer.MIN_VALUE + 1, (int) Math.min(Integer.MAX_VALUE, bound), (int) Math.max(Integer.MIN_VALUE, -bound),
            (int) Math.min(Integer.MAX_VALUE, bound - 1), (int) Math.max(Integer.MIN_VALUE, -bound - 1),
            (int) Math.min(Integer.MAX_VALUE, bound + 1), (int) Math.max(Integer.MIN_VALUE, -bound + 1), 12345, -12345};
        int[] y = new int[x.length];
        Attrs a = new Attrs.Schema().reqInt("precision").bool("is_sign", true).reqInt("shift_bit")
            .parse(Map.of("precision", String.valueOf(p), "shift_bit", String.valueOf(b)), IllegalArgumentException::new);
        op.map(a, x, y, x.length, ctx);
        for (int i = 0; i < x.length; i++) {
          assertEquals(CvmRules.rightShift32(x[i], p, b), y[i], "p=" + p + " b=" + b + " x=" + x[i]);
          boolean wraps = x[i] == Integer.MAX_VALUE && b == 1 && p >= 31;
          assertEquals(wraps ? -(1L << 30) : CvmRules.rightShift(x[i], p, b), y[i], "p=" + p + " b=" + b + " x=" + x[i]);
          assertEquals(y[i], ElementwiseOps.RightShift.function(p, b).applyAsInt(x[i]), "p=" + p + " b=" + b + " x=" + x[i]);
        }
      }
    }
  }
}

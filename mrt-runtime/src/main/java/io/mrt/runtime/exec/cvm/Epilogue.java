package io.mrt.runtime.exec.cvm;

import java.util.ArrayList;
import java.util.List;

/**
 * The element-wise tail fused into a conv2d or dense node: the bias add, then a chain of relu,
 * clip, cvm_clip, cvm_right_shift and broadcast_mul by a one-element parameter, each exactly as its
 * own kernel (CVM_OPS.md sections 1-3).
 * Every step is a clamp, a shift or a constant, so the chain is computed in one pass over an
 * output tile with int32 arithmetic that wraps like the separate kernels.
 */
final class Epilogue {
  /** clamp(x, a, b). */
  static final int CLAMP = 0;
  /** cvm_right_shift with saturation: formula(clamp(x, a, b)) with shift s (CVM_OPS.md section 2). */
  static final int SHIFT_SAT = 1;
  /** cvm_right_shift without clip (p + b &gt;= 32): ((x &gt;&gt; s) + 1) &gt;&gt; 1. */
  static final int SHIFT = 2;
  /** cvm_right_shift with b &gt;= 31: x &gt;&gt; 31. */
  static final int SIGN = 3;
  /** cvm_right_shift with precision 1: 0. */
  static final int ZERO = 4;
  /** broadcast_mul by a one-element parameter a: x * a (int32, wrapping). */
  static final int MUL = 5;

  /** No fused operator: only the bias. */
  final int[] kind;
  final int[] a;
  final int[] b;
  final int[] s;
  /** The fused node names (for the execution trace). */
  final List<String> names;

  private Epilogue(int[] kind, int[] a, int[] b, int[] s, List<String> names) {
    this.kind = kind;
    this.a = a;
    this.b = b;
    this.s = s;
    this.names = names;
  }

  int length() {
    return kind.length;
  }

  /** Whether {@code op} can be appended to a fused chain. */
  static boolean fusable(CvmOp op) {
    return op instanceof ElementwiseOps.Relu || op instanceof ElementwiseOps.Clip
        || op instanceof ElementwiseOps.CvmClip || op instanceof ElementwiseOps.RightShift;
  }

  /** Builds the chain of the given element-wise nodes (each {@link #fusable}, or a broadcast_mul by {@code consts}). */
  static Epilogue of(List<CvmGraphLoader.OpNode> nodes, java.util.Map<CvmGraphLoader.OpNode, Integer> consts) {
    int n = nodes.size();
    int[] kind = new int[n];
    int[] a = new int[n];
    int[] b = new int[n];
    int[] s = new int[n];
    List<String> names = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      CvmGraphLoader.OpNode node = nodes.get(i);
      Attrs at = node.attrs();
      names.add(node.name());
      if (consts.containsKey(node)) {
        kind[i] = MUL;
        a[i] = consts.get(node);
      } else if (node.op() instanceof ElementwiseOps.Relu) {
        kind[i] = CLAMP;
        a[i] = 0;
        b[i] = Integer.MAX_VALUE;
      } else if (node.op() instanceof ElementwiseOps.Clip) {
        kind[i] = CLAMP;
        a[i] = at.i("a_min");
        b[i] = at.i("a_max");
      } else if (node.op() instanceof ElementwiseOps.CvmClip) {
        int r = CvmOp.range(at.i("precision"));
        kind[i] = CLAMP;
        a[i] = -r;
        b[i] = r;
      } else if (node.op() instanceof ElementwiseOps.RightShift) {
        int p = at.i("precision");
        int bit = at.i("shift_bit");
        int r = CvmOp.range(p);
        if (r == 0) {
          kind[i] = ZERO;
        } else if (bit >= 31) {
          kind[i] = SIGN;
        } else if (p + bit >= 32) {
          kind[i] = SHIFT;
          s[i] = bit - 1;
        } else {
          // x < xmin gives -R, x > xmax gives R, and the rounding formula is monotone with
          // formula(xmin) = -R and formula(xmax) = R: so clamping x first is the same kernel.
          kind[i] = SHIFT_SAT;
          s[i] = bit - 1;
          a[i] = (-2 * r - 1) << (bit - 1);
          b[i] = (2 * r - 1) << (bit - 1);
        }
      } else {
        throw new IllegalArgumentException("not fusable: " + node.op().name());
      }
    }
    return new Epilogue(kind, a, b, s, List.copyOf(names));
  }

  /** The chain applied to one value (bias already added). */
  int apply(int v) {
    for (int i = 0; i < kind.length; i++) {
      switch (kind[i]) {
        case CLAMP -> v = Math.min(Math.max(v, a[i]), b[i]);
        case SHIFT_SAT -> v = ((Math.min(Math.max(v, a[i]), b[i]) >> s[i]) + 1) >> 1;
        case SHIFT -> v = ((v >> s[i]) + 1) >> 1;
        case SIGN -> v = v >> 31;
        case MUL -> v = v * a[i];
        default -> v = 0;
      }
    }
    return v;
  }
}

package io.mrt.ops;

import io.mrt.api.graph.Shape;
import io.mrt.api.hook.OpContext;

/** MXNet's (numpy-style) broadcasting of two shapes: align the trailing axes, 1 stretches. */
final class Broadcasting {
  private Broadcasting() {}

  /** The broadcast shape of {@code a} and {@code b}, or an error naming both. */
  static Shape shape(OpContext ctx, Shape a, Shape b) {
    int rank = Math.max(a.rank(), b.rank());
    long[] out = new long[rank];
    for (int i = 0; i < rank; i++) {
      long da = i < rank - a.rank() ? 1 : a.dim(i - (rank - a.rank()));
      long db = i < rank - b.rank() ? 1 : b.dim(i - (rank - b.rank()));
      if (da != db && da != 1 && db != 1) {
        throw ctx.error("shapes " + a + " and " + b + " cannot be broadcast together (axis " + i + ": " + da
            + " vs " + db + ")");
      }
      out[i] = da == 1 ? db : da;
    }
    return Shape.of(out);
  }
}

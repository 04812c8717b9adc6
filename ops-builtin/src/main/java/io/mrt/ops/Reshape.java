package io.mrt.ops;

import io.mrt.annotations.Attr;
import io.mrt.annotations.MrtOp;
import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Entry;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.ForwardContext;
import io.mrt.api.hook.ForwardHook;
import io.mrt.api.hook.InferShapeHook;
import io.mrt.api.hook.LowerContext;
import io.mrt.api.hook.LowerToCvmHook;
import io.mrt.api.hook.OpContext;
import io.mrt.api.hook.QuantizeContext;
import io.mrt.api.hook.QuantizeHook;
import io.mrt.api.hook.Quantized;
import io.mrt.api.hook.ShapeContext;
import io.mrt.ops.support.Lowering;
import io.mrt.ops.support.ShapeOf;
import io.mrt.ops.support.Tensors;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * MXNet {@code Reshape} with its special codes in {@code shape}: 0 copies the input dimension,
 * -1 infers one dimension, -2 copies all remaining dimensions, -3 merges two input dimensions,
 * -4 splits one input dimension into the next two values (one of which may be -1). With
 * {@code reverse} the codes are matched from the right. Lowered to CVM {@code reshape}.
 */
@MrtOp(value = {"Reshape", "reshape"},
    attrs = {
        @Attr(name = "shape", type = long[].class, defaultValue = "()"),
        @Attr(name = "reverse", type = boolean.class, defaultValue = "False")},
    emits = "reshape")
public final class Reshape implements InferShapeHook, ForwardHook, QuantizeHook, LowerToCvmHook {
  /** For the registry. */
  public Reshape() {}

  /** MXNet's {@code InferReshapeShape}: the output dimensions for input {@code in}. */
  static long[] target(OpContext ctx, long[] in, long[] codes, boolean reverse) {
    long[] d = in.clone();
    long[] t = codes.clone();
    if (reverse) {
      reverseInPlace(d);
      reverseInPlace(t);
    }
    List<Long> out = new ArrayList<>();
    int src = 0;
    int inferAt = -1;
    for (int i = 0; i < t.length; i++) {
      long code = t[i];
      if (code == 0) {
        need(ctx, src, 1, d, codes);
        out.add(d[src++]);
      } else if (code == -1) {
        if (inferAt >= 0) {
          throw ctx.error("shape " + Attrs.tuple(codes) + " has more than one -1");
        }
        inferAt = out.size();
        out.add(1L);
        src++;
      } else if (code == -2) {
        while (src < d.length) {
          out.add(d[src++]);
        }
      } else if (code == -3) {
        need(ctx, src, 2, d, codes);
        out.add(d[src] * d[src + 1]);
        src += 2;
      } else if (code == -4) {
        need(ctx, src, 1, d, codes);
        if (i + 2 >= t.length) {
          throw ctx.error("shape " + Attrs.tuple(codes) + ": -4 must be followed by two values");
        }
        long d0 = d[src++];
        long d1 = t[++i];
        long d2 = t[++i];
        if (d1 == -1 && d2 == -1) {
          throw ctx.error("shape " + Attrs.tuple(codes) + ": -4 splits into at most one -1");
        }
        if (d1 == -1) {
          d1 = d2 == 0 ? 0 : d0 / d2;
        } else if (d2 == -1) {
          d2 = d1 == 0 ? 0 : d0 / d1;
        }
        if (d1 * d2 != d0) {
          throw ctx.error("shape " + Attrs.tuple(codes) + ": cannot split dimension " + d0 + " into " + d1 + " x " + d2);
        }
        out.add(d1);
        out.add(d2);
      } else if (code > 0) {
        out.add(code);
        src++;
      } else {
        throw ctx.error("shape " + Attrs.tuple(codes) + ": code " + code + " is not valid");
      }
    }
    long inSize = Tensors.size(in);
    if (inferAt >= 0) {
      long known = 1;
      for (int i = 0; i < out.size(); i++) {
        if (i != inferAt) {
          known *= out.get(i);
        }
      }
      if (known == 0 || inSize % known != 0) {
        throw ctx.error("cannot reshape " + Shape.of(in) + " into " + Attrs.tuple(codes));
      }
      out.set(inferAt, inSize / known);
    }
    long[] r = out.stream().mapToLong(Long::longValue).toArray();
    if (reverse) {
      reverseInPlace(r);
    }
    if (Tensors.size(r) != inSize) {
      throw ctx.error("cannot reshape " + Shape.of(in) + " (size " + inSize + ") into " + Shape.of(r)
          + " (from shape " + Attrs.tuple(codes) + ")");
    }
    return r;
  }

  private static void need(OpContext ctx, int src, int n, long[] d, long[] codes) {
    if (src + n > d.length) {
      throw ctx.error("shape " + Attrs.tuple(codes) + " refers to more input dimensions than the " + d.length + " there are");
    }
  }

  private static void reverseInPlace(long[] a) {
    for (int i = 0, j = a.length - 1; i < j; i++, j--) {
      long t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }

  @Override
  public List<Shape> inferShape(ShapeContext ctx) {
    long[] codes = ctx.attrs().getLongs("shape");
    if (codes.length == 0) {
      throw ctx.error("attribute 'shape' is required and must not be empty");
    }
    return List.of(Shape.of(target(ctx, ctx.inputShape(0).dims(), codes, ctx.attrs().getBool("reverse"))));
  }

  @Override
  public List<INDArray> forward(ForwardContext ctx) {
    return List.of(Tensors.reshapeCopy(ctx.input(0), inferShape(ShapeOf.inputs(ctx)).get(0).dims()));
  }

  /** MRT's default: the input's scale and precision pass through. */
  @Override
  public Quantized quantize(QuantizeContext ctx) {
    return ctx.keepScale();
  }

  /** CVM {@code reshape} with the explicit output shape (the runtime misplaces -1 after -2 or -4). */
  @Override
  public List<Entry> lowerToCvm(LowerContext ctx) {
    long[] in = ctx.shapeOf(ctx.input(0)).dims();
    long[] out = target(ctx, in, ctx.attrs().getLongs("shape"), ctx.attrs().getBool("reverse"));
    return List.of(ctx.emit("reshape", io.mrt.api.graph.Attrs.of("shape", Lowering.tuple(out)), ctx.input(0)));
  }
}

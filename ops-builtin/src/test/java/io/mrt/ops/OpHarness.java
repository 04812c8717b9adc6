package io.mrt.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Entry;
import io.mrt.api.graph.Node;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.ForwardContext;
import io.mrt.api.hook.ShapeContext;
import io.mrt.api.registry.HookType;
import io.mrt.api.registry.OpDescriptor;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runs one built-in op the way the runtime does: the descriptor of the generated registry that
 * handles the node, its attribute defaults filled in, and its hook from the registry tables.
 */
final class OpHarness {
  static final BuiltinOpRegistry REGISTRY = new BuiltinOpRegistry();

  private OpHarness() {}

  static Node node(String op, Attrs attrs, int inputs) {
    List<Entry> ins = new ArrayList<>();
    for (int i = 0; i < inputs; i++) {
      ins.add(Node.variable("in" + i, Attrs.empty()).out());
    }
    return new Node(op, "n", attrs, ins, 1);
  }

  /** The descriptor handling a node: a keyed match first, else the unkeyed one, as OpTable does. */
  static OpDescriptor descriptor(Node n) {
    for (OpDescriptor d : REGISTRY.ops()) {
      if (d.isKeyed() && d.handles(n)) {
        return d;
      }
    }
    for (OpDescriptor d : REGISTRY.ops()) {
      if (!d.isKeyed() && d.handles(n)) {
        return d;
      }
    }
    throw new AssertionError("no built-in op handles " + n.op() + " " + n.attrs());
  }

  static List<INDArray> forward(String op, Attrs attrs, INDArray... inputs) {
    return forward(op, attrs, new boolean[inputs.length], inputs);
  }

  /** As the executor runs a node when nothing reads the inputs marked in {@code overwritable} afterwards. */
  static List<INDArray> forward(String op, Attrs attrs, boolean[] overwritable, INDArray... inputs) {
    return forward(op, attrs, overwritable, false, inputs);
  }

  /** As above, and {@code keepLayout}: whether the caller accepts non-row-major outputs (ForwardContext.mayKeepLayout). */
  static List<INDArray> forward(String op, Attrs attrs, boolean[] overwritable, boolean keepLayout, INDArray... inputs) {
    Node n = node(op, attrs, inputs.length);
    OpDescriptor d = descriptor(n);
    Attrs full = attrs.withDefaults(d.defaults());
    List<INDArray> in = List.of(inputs);
    return REGISTRY.hook(HookType.FORWARD, d.key()).forward(new ForwardContext() {
      @Override
      public Node node() {
        return n;
      }

      @Override
      public Attrs attrs() {
        return full;
      }

      @Override
      public List<INDArray> inputs() {
        return in;
      }

      @Override
      public boolean mayOverwrite(int i) {
        return overwritable[i];
      }

      @Override
      public boolean mayKeepLayout() {
        return keepLayout;
      }
    });
  }

  static INDArray forward1(String op, Attrs attrs, INDArray... inputs) {
    return forward(op, attrs, inputs).get(0);
  }

  static List<Shape> infer(String op, Attrs attrs, Shape... inputs) {
    Node n = node(op, attrs, inputs.length);
    OpDescriptor d = descriptor(n);
    Attrs full = attrs.withDefaults(d.defaults());
    List<Shape> in = List.of(inputs);
    return REGISTRY.hook(HookType.INFER_SHAPE, d.key()).inferShape(new ShapeContext() {
      @Override
      public Node node() {
        return n;
      }

      @Override
      public Attrs attrs() {
        return full;
      }

      @Override
      public List<Shape> inputShapes() {
        return in;
      }
    });
  }

  static Shape infer1(String op, Attrs attrs, Shape... inputs) {
    return infer(op, attrs, inputs).get(0);
  }

  /** A float32 array with c-order values. */
  static INDArray arr(float[] values, long... shape) {
    return Nd4j.create(values, shape, DataType.FLOAT);
  }

  /** 1, 2, ..., n as a float32 array of the given shape. */
  static INDArray iota(long... shape) {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    float[] v = new float[(int) n];
    for (int i = 0; i < v.length; i++) {
      v[i] = i + 1;
    }
    return arr(v, shape);
  }

  static float[] f(double... v) {
    float[] r = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      r[i] = (float) v[i];
    }
    return r;
  }

  /** The array is float32 with exactly this shape and these values (to 1e-6). */
  static void assertArray(long[] shape, float[] expected, INDArray actual) {
    assertEquals(DataType.FLOAT, actual.dataType(), "dtype");
    assertArrayEquals(shape, actual.shape(), "shape");
    float[] got = actual.dup('c').reshape(actual.length()).toFloatVector();
    assertArrayEquals(expected, got, 1e-6f, "values");
  }

  static long[] s(long... d) {
    return d;
  }
}

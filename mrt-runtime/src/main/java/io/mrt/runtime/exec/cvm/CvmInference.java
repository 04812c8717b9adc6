package io.mrt.runtime.exec.cvm;

import java.util.List;
import java.util.Map;

/**
 * The CVM runtime's shape and precision rules of one operator, for a compiler that builds a CVM
 * graph node by node: the same rules (and the same refusals) as the load-time checks of
 * {@link CvmExecutor}.
 */
public final class CvmInference {
  private CvmInference() {}

  /** The output shapes and precisions of one node. */
  public record NodeTypes(List<long[]> shapes, int[] precisions) {}

  /** Whether {@code op} is one of the 37 CVM operators. */
  public static boolean isOperator(String op) {
    return CvmOps.get(op) != null;
  }

  /** The number of outputs of a CVM operator. */
  public static int numOutputs(String op) {
    return require(op, "<compile>").numOutputs();
  }

  /**
   * Infers the output shapes and precisions of operator {@code op} with string attributes
   * {@code attrs} (as in op_attrs) on inputs of the given shapes and precisions. A violation of
   * the operator's rules is a {@link CvmLoadException} starting with {@code nodeName}.
   */
  public static NodeTypes infer(String nodeName, String op, Map<String, String> attrs, List<long[]> inShapes,
      int[] inPrecisions) {
    String prefix = new NodeContext("compile", -1, nodeName, op).where() + ": ";
    try {
      return inferChecked(nodeName, op, attrs, inShapes, inPrecisions);
    } catch (CvmLoadException e) {
      String m = e.getMessage();
      throw new CvmLoadException(nodeName + ": " + (m.startsWith(prefix) ? m.substring(prefix.length()) : m));
    }
  }

  private static NodeTypes inferChecked(String nodeName, String op, Map<String, String> attrs, List<long[]> inShapes,
      int[] inPrecisions) {
    CvmOp cvmOp = require(op, nodeName);
    NodeContext c = new NodeContext("compile", -1, nodeName, op);
    Attrs a;
    if (cvmOp.schema() == null) {
      if (!attrs.isEmpty()) {
        throw c.fail("operator " + op + " takes no attributes, found " + attrs);
      }
      a = Attrs.none();
    } else {
      a = cvmOp.schema().parse(attrs, c::fail);
    }
    int want = cvmOp.numInputs(a, inShapes.size());
    if (want != inShapes.size()) {
      throw c.fail("expected " + want + " inputs, found " + inShapes.size());
    }
    long[][] in = new long[inShapes.size()][];
    for (int i = 0; i < in.length; i++) {
      in[i] = inShapes.get(i).clone();
    }
    long[][] out = cvmOp.inferShape(a, in, c);
    int[] prec = cvmOp.inferPrecision(a, inPrecisions.clone(), in, out, c);
    for (int p : prec) {
      if (p < 1 || p > 32) {
        throw c.fail("inferred output precision " + p + " is outside [1, 32] (input precisions "
            + java.util.Arrays.toString(inPrecisions) + ")");
      }
    }
    return new NodeTypes(List.of(out), prec);
  }

  private static CvmOp require(String op, String nodeName) {
    CvmOp cvmOp = CvmOps.get(op);
    if (cvmOp == null) {
      throw new NodeContext("compile", -1, nodeName, op).fail("operator '" + op
          + "' is not one of the CVM operators " + CvmOps.names());
    }
    return cvmOp;
  }
}

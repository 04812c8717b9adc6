package io.mrt.testing;

import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Entry;
import io.mrt.api.graph.Node;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.CvmFloat;
import io.mrt.api.hook.QuantizeContext;
import io.mrt.api.hook.Quantized;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.DoubleUnaryOperator;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A {@link QuantizeContext} for a hook that quantizes through a lookup table (as the tanh and
 * hard_sigmoid plugins do): it records each {@link #lookupTable} request and answers it with the
 * result the test gave ({@link #answerLookupTables}).
 *
 * <p>What it answers: the node, its attributes with defaults, its inputs; {@link #inputPrecision()}
 * (the op's {@code @MrtOp(inputPrecision)}, an error when the op declares none, as in the quantize
 * stage); MRT's defaults {@link #shiftBits()} 5 and {@link #softmaxLambda()} 10; the scale,
 * precision and threshold of the entries the test {@link #describe}d, and {@link #outputThreshold()}
 * once set. The requantization primitives and graph building ({@code requantize}, {@code realize},
 * {@code op}, ...) are the quantize stage's own arithmetic: a hook that calls them is tested end to
 * end, on a model through the quantize stage, and here they throw {@link UnsupportedOperationException}.
 */
public final class RecordingQuantizeContext implements QuantizeContext {
  /** One {@link QuantizeContext#lookupTable} request, as the hook made it. */
  public record LookupTableCall(Entry input, DoubleUnaryOperator function, int inputPrecision,
      int outputPrecision) {}

  private record Description(double scale, int precision, double threshold) {}

  private final Node node;
  private final Attrs attrs;
  private final int opInputPrecision;
  private final Map<Entry, Description> described = new HashMap<>();
  private final List<LookupTableCall> lookupTables = new ArrayList<>();
  private Quantized lookupTableAnswer;
  private double outputThreshold = Double.NaN;

  RecordingQuantizeContext(Node node, Attrs attrs, int opInputPrecision) {
    this.node = node;
    this.attrs = attrs;
    this.opInputPrecision = opInputPrecision;
  }

  /** Answers every {@link #lookupTable} request with {@code result}; returns this context. */
  public RecordingQuantizeContext answerLookupTables(Quantized result) {
    this.lookupTableAnswer = result;
    return this;
  }

  /** Sets the float threshold of the node's output 0; returns this context. */
  public RecordingQuantizeContext withOutputThreshold(double threshold) {
    this.outputThreshold = threshold;
    return this;
  }

  /** The lookup tables the hook asked for, in order. */
  public List<LookupTableCall> lookupTableCalls() {
    return Collections.unmodifiableList(lookupTables);
  }

  @Override
  public Node node() {
    return node;
  }

  @Override
  public Attrs attrs() {
    return attrs;
  }

  @Override
  public List<Entry> inputs() {
    return node.inputs();
  }

  @Override
  public double outputThreshold() {
    if (Double.isNaN(outputThreshold)) {
      throw error("outputThreshold(): the test set none (withOutputThreshold)");
    }
    return outputThreshold;
  }

  @Override
  public double scale(Entry e) {
    return description(e, "scale").scale();
  }

  @Override
  public int precision(Entry e) {
    return description(e, "precision").precision();
  }

  @Override
  public double threshold(Entry e) {
    return description(e, "threshold").threshold();
  }

  private Description description(Entry e, String what) {
    Description d = described.get(e);
    if (d == null) {
      throw error(what + "(" + e + "): the entry is not described (describe it in the test)");
    }
    return d;
  }

  @Override
  public void describe(Entry e, double scale, int precision, double threshold) {
    described.put(e, new Description(scale, precision, threshold));
  }

  @Override
  public int shiftBits() {
    return 5;
  }

  @Override
  public int inputPrecision() {
    if (opInputPrecision < 1) {
      throw error("the op declares no default input precision (@MrtOp inputPrecision)");
    }
    return opInputPrecision;
  }

  @Override
  public double softmaxLambda() {
    return 10;
  }

  @Override
  public Quantized lookupTable(Entry x, DoubleUnaryOperator f, int inputPrecision, int outputPrecision) {
    lookupTables.add(new LookupTableCall(x, f, inputPrecision, outputPrecision));
    if (lookupTableAnswer == null) {
      throw error("lookupTable: the test set no answer (answerLookupTables)");
    }
    return lookupTableAnswer;
  }

  @Override
  public Quantized requantParameter(Entry w, int precision, double scale) {
    throw notRecorded("requantParameter");
  }

  @Override
  public Quantized requantOperator(Entry x, int precision, double scale) {
    throw notRecorded("requantOperator");
  }

  @Override
  public Entry realize(Entry x, int shiftBit, int precision) {
    throw notRecorded("realize");
  }

  @Override
  public CvmFloat cvmFloat(double value, int bits) {
    throw notRecorded("cvmFloat");
  }

  @Override
  public Entry constant(String nameHint, long value) {
    throw notRecorded("constant");
  }

  @Override
  public Entry integerParam(String nameHint, INDArray values, int precision) {
    throw notRecorded("integerParam");
  }

  @Override
  public Entry rebuild(Attrs newAttrs, Entry... inputs) {
    throw notRecorded("rebuild");
  }

  @Override
  public Quantized keepScale() {
    throw notRecorded("keepScale");
  }

  @Override
  public Node op(String op, String nameHint, Attrs opAttrs, Entry... inputs) {
    throw notRecorded("op");
  }

  @Override
  public Node param(String nameHint, INDArray value) {
    throw notRecorded("param");
  }

  @Override
  public Shape shapeOf(Entry e) {
    throw notRecorded("shapeOf");
  }

  @Override
  public Optional<INDArray> paramValue(Entry e) {
    throw notRecorded("paramValue");
  }

  private UnsupportedOperationException notRecorded(String method) {
    return new UnsupportedOperationException("node " + node.name() + " (" + node.op() + "): " + method
        + " is the quantize stage's own work, which RecordingQuantizeContext does not do; test a hook that "
        + "calls it through the quantize stage on a model");
  }
}

package io.mrt.runtime.stage.quantize;

import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Entry;
import io.mrt.api.graph.Node;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.CvmFloat;
import io.mrt.api.hook.QuantMath;
import io.mrt.api.hook.QuantizeContext;
import io.mrt.api.hook.Quantized;
import io.mrt.runtime.registry.ResolvedOp;
import java.util.List;
import java.util.Optional;
import java.util.function.DoubleUnaryOperator;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The {@link QuantizeContext} of one node: its mapped inputs and the stage's primitives. */
final class NodeQuantizeContext implements QuantizeContext {
  private final Node node;
  private final Attrs attrs;
  private final List<Entry> inputs;
  private final double outputThreshold;
  private final ResolvedOp op;
  private final IntGraph g;
  private final Requantizer rq;
  private final double softmaxLambda;
  private final boolean perChannel;
  private boolean ownNameUsed;

  NodeQuantizeContext(Node node, List<Entry> inputs, double outputThreshold, ResolvedOp op, IntGraph g,
      Requantizer rq, double softmaxLambda, boolean perChannel) {
    this.perChannel = perChannel;
    this.node = node;
    this.attrs = g.ops.attrsOf(node);
    this.inputs = List.copyOf(inputs);
    this.outputThreshold = outputThreshold;
    this.op = op;
    this.g = g;
    this.rq = rq;
    this.softmaxLambda = softmaxLambda;
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
    return inputs;
  }

  @Override
  public boolean perChannelWeights() {
    return perChannel;
  }

  @Override
  public double outputThreshold() {
    return outputThreshold;
  }

  @Override
  public double scale(Entry e) {
    return rq.integerInfo(this, e).scale();
  }

  @Override
  public int precision(Entry e) {
    return rq.integerInfo(this, e).precision();
  }

  @Override
  public double threshold(Entry e) {
    return rq.infoOf(this, e).threshold();
  }

  @Override
  public int shiftBits() {
    return rq.shiftBits();
  }

  @Override
  public int inputPrecision() {
    int p = op.descriptor().inputPrecision();
    if (p < 1) {
      throw error("the op declares no default input precision (@MrtOp inputPrecision)");
    }
    return p;
  }

  @Override
  public double softmaxLambda() {
    return softmaxLambda;
  }

  @Override
  public Quantized requantParameter(Entry w, int precision, double scale) {
    return rq.requantParameter(this, w, precision, scale);
  }

  @Override
  public Quantized requantOperator(Entry x, int precision, double scale) {
    return rq.requantOperator(this, x, precision, scale);
  }

  @Override
  public Entry realize(Entry x, int shiftBit, int precision) {
    return rq.realize(this, x, shiftBit, precision);
  }

  @Override
  public CvmFloat cvmFloat(double value, int bits) {
    return CvmFloats.of(value, bits);
  }

  @Override
  public Entry constant(String nameHint, long value) {
    return rq.constant(nameHint, value);
  }

  @Override
  public Entry integerParam(String nameHint, INDArray values, int precision) {
    return rq.integerParam(this, nameHint, values, precision);
  }

  @Override
  public Quantized lookupTable(Entry x, DoubleUnaryOperator f, int inputPrecision, int outputPrecision) {
    return rq.lookupTable(this, claimOwnName(), x, f, inputPrecision, outputPrecision);
  }

  @Override
  public Entry rebuild(Attrs newAttrs, Entry... newInputs) {
    return new Node(node.op(), claimOwnName(), newAttrs, List.of(newInputs), node.numOutputs()).out();
  }

  private String claimOwnName() {
    if (ownNameUsed) {
      throw error("the node's own name is already taken: rebuild (or lookupTable) may be called once per node; "
          + "build other nodes with ctx.op");
    }
    ownNameUsed = true;
    return node.name();
  }

  @Override
  public Quantized keepScale() {
    Entry x = inputs.get(0);
    Info in = rq.integerInfo(this, x);
    Entry out = rebuild(inputs.toArray(Entry[]::new));
    return new Quantized(out, in.scale(), in.precision());
  }

  @Override
  public void describe(Entry e, double scale, int precision, double threshold) {
    if (precision < 1 || !(scale > 0) || !(threshold >= 0)) {
      throw error("describe(" + e + "): needs precision >= 1, scale > 0 and threshold >= 0, found "
          + precision + ", " + scale + ", " + threshold);
    }
    g.describe(e, Info.integer(scale, precision, threshold));
  }

  @Override
  public Node op(String opName, String nameHint, Attrs opAttrs, Entry... opInputs) {
    return g.op(opName, nameHint, opAttrs, opInputs);
  }

  /**
   * A new integer parameter; its values must be integers. Precision {@code bitsOf(abs-max)},
   * scale 1.
   */
  @Override
  public Node param(String nameHint, INDArray value) {
    double max = 0;
    for (double d : Requantizer.values(value)) {
      max = Math.max(max, Math.abs(d));
    }
    return integerParam(nameHint, value, QuantMath.bitsOf(max)).node();
  }

  @Override
  public Shape shapeOf(Entry e) {
    return g.shapeOf(e);
  }

  @Override
  public Optional<INDArray> paramValue(Entry e) {
    return g.paramValue(e);
  }
}

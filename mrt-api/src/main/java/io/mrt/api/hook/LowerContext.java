package io.mrt.api.hook;

import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Entry;
import io.mrt.api.graph.Shape;
import java.util.List;
import java.util.Optional;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The context of {@link LowerToCvmHook}: the node's (already lowered) inputs and a CVM emitter. */
public interface LowerContext extends OpContext {
  /** The lowered input entries. */
  List<Entry> inputs();

  /** Input {@code i}. */
  default Entry input(int i) {
    return inputs().get(i);
  }

  /** The shape of a lowered entry. */
  Shape shapeOf(Entry e);

  /**
   * The precision of a lowered entry as the CVM runtime infers it (its precision rules applied to
   * the emitted graph; a variable's {@code precision} attribute). Contexts that do not track
   * precisions throw {@link UnsupportedOperationException}.
   */
  default int precisionOf(Entry e) {
    throw new UnsupportedOperationException("this LowerContext does not track precisions");
  }

  /** The integer value of a lowered entry when it is a parameter. */
  Optional<INDArray> paramValue(Entry e);

  /** Emits CVM operator {@code cvmOp} (a name of CVM_OPS.md) with its attributes. */
  Entry emit(String cvmOp, Attrs attrs, Entry... inputs);

  /** Emits a new integer parameter of the given precision. */
  Entry param(String nameHint, INDArray value, int precision);
}

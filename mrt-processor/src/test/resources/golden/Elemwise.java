package fixture.golden;

import io.mrt.annotations.MrtOp;
import io.mrt.api.graph.Entry;
import io.mrt.api.hook.CalibrateContext;
import io.mrt.api.hook.CalibrateHook;
import io.mrt.api.hook.FuseTransposeHook;
import io.mrt.api.hook.Quantized;
import io.mrt.api.hook.QuantizeContext;
import io.mrt.api.hook.QuantizeHook;
import io.mrt.api.hook.RewriteContext;
import io.mrt.api.hook.RewriteHook;
import java.util.List;

/** Several MXNet names, the hooks that the other fixtures lack, and a hook inherited from a base. */
@MrtOp(value = {"elemwise_add", "_plus", "broadcast_add"}, emits = {"elemwise_add", "broadcast_add"},
    inputPrecision = 16)
public final class Elemwise extends ElemwiseBase implements RewriteHook, FuseTransposeHook, QuantizeHook {
  public Elemwise() {}

  @Override
  public List<Entry> rewrite(RewriteContext ctx) {
    throw new UnsupportedOperationException("not needed by the fixture");
  }

  @Override
  public List<Entry> fuseTranspose(RewriteContext ctx) {
    throw new UnsupportedOperationException("not needed by the fixture");
  }

  @Override
  public Quantized quantize(QuantizeContext ctx) {
    throw new UnsupportedOperationException("not needed by the fixture");
  }
}

/** A base class that contributes the calibrate hook. */
abstract class ElemwiseBase implements CalibrateHook {
  @Override
  public void calibrate(CalibrateContext ctx) {
    throw new UnsupportedOperationException("not needed by the fixture");
  }
}

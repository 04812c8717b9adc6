package fixture.errors;

import io.mrt.annotations.MrtOp;
import io.mrt.api.hook.InferShapeHook;

@MrtOp("OnInterface")
public interface OnInterface extends InferShapeHook {}

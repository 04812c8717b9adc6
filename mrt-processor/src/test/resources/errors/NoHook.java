package fixture.errors;

import io.mrt.annotations.MrtOp;

@MrtOp("NoHook")
public final class NoHook {
  public NoHook() {}
}

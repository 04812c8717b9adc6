package io.mrt.runtime.stage;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The input quantization of the compiled model: scale and precision of {@code data} (the quantize
 * stage's output, read by evaluate, compile and the report).
 */
public record InputQuantization(double scale, int precision) {
  /** {@code clip(round(x * scale), +-(2^(p-1)-1))}, rounding half away from zero. */
  public int[] apply(INDArray x) {
    float[] f = x.castTo(DataType.FLOAT).data().asFloat();
    int[] q = new int[f.length];
    long r = (1L << (precision - 1)) - 1;
    for (int i = 0; i < f.length; i++) {
      double v = (double) f[i] * scale;
      double rounded = Math.signum(v) * Math.floor(Math.abs(v) + 0.5);
      q[i] = (int) Math.max(-r, Math.min(r, rounded));
    }
    return q;
  }
}

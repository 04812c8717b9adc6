package io.mrt.runtime.stage.quantize;

import io.mrt.api.graph.Model;
import io.mrt.api.hook.QuantMath;
import io.mrt.runtime.MrtException;
import io.mrt.runtime.exec.fp.FloatExecutor;
import io.mrt.runtime.registry.OpTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runs a quantized graph as MRT's evaluate stage does before compilation: the input is fed as
 * {@code clip(round(x * s_in), +-R(p_in))} (MRT's {@code load_real_data}), the graph runs on the
 * float executor with the integer ops' exact forwards ({@code cvm_clip}, {@code cvm_right_shift},
 * {@code cvm_lut}), and each output is divided by its scale.
 *
 * <p>This is a simulation in float32, like MRT's: it is exact while every intermediate value stays
 * below 2^24 in magnitude (conv and dense accumulations of 8-bit values are), but the products of
 * a requantization multiply can reach 2^31 and are then rounded to float32 before the shift. The
 * compiled CVM model run by the CVM executor is the exact reference.
 */
public final class IntegerSimulation {
  private final FloatExecutor exec;
  private final String inputName;
  private final double inputScale;
  private final int inputPrecision;
  private final List<Double> outputScales;

  /** A simulation of a quantized model with its input and output scales. */
  public IntegerSimulation(Model model, String inputName, double inputScale, int inputPrecision,
      List<Double> outputScales, OpTable ops) {
    this.exec = new FloatExecutor(model, ops);
    this.inputName = inputName;
    this.inputScale = inputScale;
    this.inputPrecision = inputPrecision;
    this.outputScales = List.copyOf(outputScales);
    if (outputScales.size() != model.graph().heads().size()) {
      throw new MrtException("the quantized model has " + model.graph().heads().size() + " outputs but "
          + outputScales.size() + " output scales");
    }
  }

  /** The simulation of the quantize stage's result. */
  public static IntegerSimulation of(QuantizeResult r, OpTable ops) {
    return new IntegerSimulation(r.model(), r.inputName(), r.inputScale(), r.inputPrecision(), r.outputScales(), ops);
  }

  /** MRT's {@code load_real_data}: {@code clip(roundHalfAway(x * scale), -R(p), R(p))}. */
  public static INDArray quantizeInput(INDArray x, double scale, int precision) {
    double[] v = Requantizer.values(x);
    for (int i = 0; i < v.length; i++) {
      v[i] = QuantMath.realize(v[i] * scale, precision);
    }
    return Nd4j.create(v, x.shape(), DataType.DOUBLE).castTo(DataType.FLOAT);
  }

  /** The integer outputs (as float32 arrays) for a float input batch. */
  public List<INDArray> runIntegers(INDArray x) {
    return exec.run(Map.of(inputName, quantizeInput(x, inputScale, inputPrecision)));
  }

  /** The outputs turned back into floats: {@code int / scale}. */
  public List<INDArray> run(INDArray x) {
    List<INDArray> ints = runIntegers(x);
    List<INDArray> out = new ArrayList<>();
    for (int i = 0; i < ints.size(); i++) {
      out.add(ints.get(i).castTo(DataType.DOUBLE).div(outputScales.get(i)));
    }
    return out;
  }
}

package io.mrt.runtime.stage.calibrate;

import com.fasterxml.jackson.databind.JsonNode;
import io.mrt.api.graph.Model;
import io.mrt.runtime.MrtException;
import io.mrt.runtime.data.BatchIterator;
import io.mrt.runtime.io.StageExt;
import io.mrt.runtime.io.mxnet.ModelFiles;
import io.mrt.runtime.io.mxnet.MxnetModels;
import io.mrt.runtime.registry.OpTable;
import io.mrt.runtime.stage.StageFiles;
import io.mrt.runtime.stage.Stage;
import io.mrt.runtime.stage.StageContext;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The calibrate stage as a function from files to files: reads {@code NAME.prepare.{json,params}}
 * (or {@code NAME.base.*} when the model was split), calibrates it and writes
 * {@code NAME.mrt.calibrate.{json,params,ext}}.
 *
 * <p>The {@code .ext} file holds, one JSON value per line as MRT writes it: the output names
 * ({@code old_names}), the thresholds ({@code th_dict}: node name, or {@code name[i]} for output
 * {@code i > 0}, to threshold), the precisions and scales (empty before quantization), and a last
 * line {@code {"method", "batches", "batch"}} recording how the thresholds were obtained.
 */
public final class CalibrateStage implements Stage<CalibrateOptions, Map<String, Double>> {
  /** The stage. */
  public static final CalibrateStage STAGE = new CalibrateStage();

  private CalibrateStage() {}

  @Override
  public String name() {
    return "calibrate";
  }

  /**
   * Runs the stage on the context's files (the base model when it was split) and the calibration
   * batches of its data set.
   */
  @Override
  public Map<String, Double> run(StageContext context, CalibrateOptions options) {
    StageFiles files = context.files();
    boolean split = context.split();
    StageContext.requireInput(input(files, split).symbol(), "prepare");
    return run(files, split, new DataIterator(context.data().calibration()), options, context.ops());
  }

  /** The model the stage calibrates: the base of a split model, else the prepared model. */
  public static ModelFiles input(StageFiles files, boolean split) {
    String stage = split ? "base" : "prepare";
    return new ModelFiles(files.stageFile(stage, "json"), files.stageFile(stage, "params"));
  }

  /** The files the stage writes ({@code .json} and {@code .params}). */
  public static ModelFiles output(StageFiles files) {
    return new ModelFiles(files.calibrate("json"), files.calibrate("params"));
  }

  /**
   * Runs the stage.
   *
   * @param files the model's files
   * @param split whether the prepare stage split the model (SPLIT_KEYS)
   * @param batches the calibration batches
   * @param options the CALIBRATE options
   * @param ops the op table
   * @return the thresholds written, overrides applied
   */
  public static Map<String, Double> run(StageFiles files, boolean split, Iterator<INDArray> batches,
      CalibrateOptions options, OpTable ops) {
    Model model = MxnetModels.loadRunnable(input(files, split));
    return run(model, files, batches, options, ops);
  }

  /** Runs the stage on a model already loaded. */
  public static Map<String, Double> run(Model model, StageFiles files, Iterator<INDArray> batches,
      CalibrateOptions options, OpTable ops) {
    CalibrationMethod method = options.calibrationMethod();
    Map<String, Double> th = new Calibrator(ops).run(model, batches, options.numCalib(), method);
    options.thresholds().forEach((name, v) -> {
      if (!th.containsKey(name)) {
        throw new MrtException("CALIBRATE threshold override: no node output named '" + name + "'");
      }
      if (!(v >= 0) || Double.isInfinite(v)) {
        throw new MrtException("CALIBRATE threshold override of " + name + " must be finite and >= 0, found " + v);
      }
      th.put(name, v);
    });
    MxnetModels.save(model, output(files));
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("method", method.name());
    info.put("batches", options.numCalib());
    info.put("batch", options.batch());
    StageExt.write(files.calibrate("ext"), List.of(outputNames(model), th, Map.of(), Map.of(), info));
    return th;
  }

  /** The names of the model's outputs. */
  static List<String> outputNames(Model model) {
    return model.graph().heads().stream().map(h -> h.node().name()).toList();
  }

  /** The float inputs of a batch iterator. */
  private record DataIterator(BatchIterator batches) implements Iterator<INDArray> {
    @Override
    public boolean hasNext() {
      return batches.hasNext();
    }

    @Override
    public INDArray next() {
      return batches.next().data();
    }
  }

  /** Reads the thresholds (line 2) of a {@code .mrt.calibrate.ext} file. */
  public static Map<String, Double> readThresholds(Path ext) {
    JsonNode th = StageExt.read(ext, 2).get(1);
    if (!th.isObject()) {
      throw new MrtException(ext + " line 2: expected the threshold object {name: threshold}, found " + th.getNodeType());
    }
    Map<String, Double> out = new LinkedHashMap<>();
    th.fields().forEachRemaining(e -> {
      if (!e.getValue().isNumber()) {
        throw new MrtException(ext + ": threshold of " + e.getKey() + " must be a number, found " + e.getValue());
      }
      out.put(e.getKey(), e.getValue().doubleValue());
    });
    return out;
  }
}

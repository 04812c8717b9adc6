package io.mrt.runtime.stage.quantize;

import io.mrt.api.graph.Model;
import io.mrt.api.graph.Shape;
import io.mrt.runtime.io.StageExt;
import io.mrt.runtime.io.mxnet.ModelFiles;
import io.mrt.runtime.io.mxnet.MxnetModels;
import io.mrt.runtime.registry.OpTable;
import io.mrt.runtime.stage.StageFiles;
import io.mrt.runtime.stage.Stage;
import io.mrt.runtime.stage.StageContext;
import io.mrt.runtime.stage.calibrate.CalibrateStage;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The quantize stage as a function from files to files: reads
 * {@code NAME.mrt.calibrate.{json,params,ext}}, quantizes and writes
 * {@code NAME.mrt.quantize.{json,params,ext}} and {@code NAME.all.quantize.ext}; for a split
 * model also merges the quantized base under {@code NAME.top.*} into
 * {@code NAME.all.quantize.{json,params}}.
 *
 * <p>{@code .mrt.quantize.ext} holds MRT's four lines (output names, thresholds, precisions as
 * {@code {name: {"out_key": p}}}, scales) and a fifth
 * {@code {"output_scales", "input": {"name", "scale", "precision"}, "restored"}}.
 * {@code .all.quantize.ext} holds MRT's two lines: the output scales (a float output is
 * {@code int / scale}) and {@code inputs_ext = {"data": {"scale", "target_bit"}}}.
 */
public final class QuantizeStage implements Stage<QuantizeOptions, QuantizeStage.Outcome> {
  /** The stage. */
  public static final QuantizeStage STAGE = new QuantizeStage();

  private QuantizeStage() {}

  @Override
  public String name() {
    return "quantize";
  }

  /** Runs the stage on the context's files with the input shape at batch 1. */
  @Override
  public Outcome run(StageContext context, QuantizeOptions options) {
    StageContext.requireInput(context.files().calibrate("json"), "calibrate");
    return run(context.files(), options, context.inputShape(1), context.ops());
  }

  /** The result of the stage: the quantized base, and the merged model's output scales if split. */
  public record Outcome(QuantizeResult quantized, List<Double> outputScales) {}

  /**
   * Runs the stage.
   *
   * @param files the model's files
   * @param options the QUANTIZE options (and the split keys)
   * @param inputShape the input shape (batch included), or null to use the graph's {@code __shape__}
   * @param ops the op table
   */
  public static Outcome run(StageFiles files, QuantizeOptions options, long[] inputShape, OpTable ops) {
    Model model = MxnetModels.loadRunnable(CalibrateStage.output(files));
    Map<String, Double> th = CalibrateStage.readThresholds(files.calibrate("ext"));
    Map<String, Shape> shapes = new LinkedHashMap<>();
    if (inputShape != null) {
      for (String in : model.inputNames()) {
        shapes.put(in, Shape.of(inputShape));
      }
    }
    QuantizeResult r = new QuantizePass(ops).run(model, th, options, shapes);
    MxnetModels.save(r.model(), new ModelFiles(files.quantize("json"), files.quantize("params")));
    Map<String, Map<String, Integer>> precs = new LinkedHashMap<>();
    r.precisions().forEach((k, v) -> precs.put(k, Map.of("out_key", v)));
    Map<String, Object> input = new LinkedHashMap<>();
    input.put("name", r.inputName());
    input.put("scale", r.inputScale());
    input.put("precision", r.inputPrecision());
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("output_scales", r.outputScales());
    info.put("input", input);
    info.put("restored", List.copyOf(r.restored()));
    StageExt.write(files.quantize("ext"), List.of(r.oldNames(), r.thresholds(), precs, r.scales(), info));

    List<Double> oscales = r.outputScales();
    if (!options.splitKeys().isEmpty()) {
      ModelFiles topFiles = new ModelFiles(
          files.stageFile("top", "json"), files.stageFile("top", "params"));
      if (!Files.exists(topFiles.symbol())) {
        throw new io.mrt.runtime.MrtException("PREPARE.SPLIT_KEYS is set but the top model " + topFiles.symbol()
            + " does not exist (run prepare with the same SPLIT_KEYS)");
      }
      Model top = MxnetModels.load(topFiles, java.util.Set.copyOf(r.oldNames()));
      ModelMerger.Merged merged = ModelMerger.merge(r, top, options.attributeDeps(), options.oscaleMaps());
      MxnetModels.save(merged.model(), new ModelFiles(files.allQuantize("json"),
          files.allQuantize("params")));
      oscales = merged.outputScales();
    }
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("scale", r.inputScale());
    data.put("target_bit", r.inputPrecision());
    StageExt.write(files.allQuantize("ext"), List.of(oscales, Map.of(r.inputName(), data)));
    return new Outcome(r, oscales);
  }
}

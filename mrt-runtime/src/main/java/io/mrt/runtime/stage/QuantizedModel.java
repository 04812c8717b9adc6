package io.mrt.runtime.stage;

import com.fasterxml.jackson.databind.JsonNode;
import io.mrt.api.graph.Model;
import io.mrt.runtime.MrtException;
import io.mrt.runtime.io.StageExt;
import io.mrt.runtime.io.mxnet.ModelFiles;
import io.mrt.runtime.io.mxnet.MxnetModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The quantize stage's output as the compile and evaluate stages read it: the integer graph
 * ({@code .all.quantize} when the model was split, else {@code .mrt.quantize}), the scale and
 * precision of the input, and the output scales ({@code .all.quantize.ext}: [oscales, inputs_ext]).
 */
public record QuantizedModel(Model model, String inputName, double inputScale, int inputPrecision,
    List<Double> outputScales) {

  /** Reads the quantize stage's files. */
  public static QuantizedModel read(StageFiles files) {
    Path ext = files.allQuantize("ext");
    List<JsonNode> lines = StageExt.read(ext, 2);
    JsonNode os = lines.get(0);
    JsonNode inputs = lines.get(1);
    if (!os.isArray() || !inputs.isObject() || inputs.size() != 1) {
      throw new MrtException(ext + ": expected [oscales] on line 1 and {input: {scale, target_bit}} on line 2");
    }
    List<Double> oscales = new ArrayList<>();
    os.forEach(v -> oscales.add(v.asDouble()));
    Map.Entry<String, JsonNode> in = inputs.fields().next();
    JsonNode scale = in.getValue().get("scale");
    JsonNode bits = in.getValue().get("target_bit");
    if (scale == null || !scale.isNumber() || bits == null || !bits.canConvertToInt()) {
      throw new MrtException(ext + ": input " + in.getKey() + " needs a numeric scale and target_bit, found " + in.getValue());
    }
    boolean merged = Files.exists(files.allQuantize("json"));
    Path symbol = merged ? files.allQuantize("json") : files.quantize("json");
    Path params = merged ? files.allQuantize("params") : files.quantize("params");
    Model model = MxnetModels.loadRunnable(new ModelFiles(symbol, params));
    return new QuantizedModel(model, in.getKey(), scale.asDouble(), bits.asInt(), List.copyOf(oscales));
  }

  /** The input quantization ({@code load_real_data}) of this model. */
  public InputQuantization input() {
    return new InputQuantization(inputScale, inputPrecision);
  }
}

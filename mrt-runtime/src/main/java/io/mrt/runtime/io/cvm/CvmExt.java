package io.mrt.runtime.io.cvm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mrt.runtime.MrtException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code ext} side file of a compiled model: three JSON lines, {@code inputs_ext} (per input:
 * the scale and target bit width used to turn float data into integers), {@code oscales} (per
 * head: float output = int output / oscale) and {@code input_shapes}. The runtime does not read it.
 *
 * @param inputsExt per input name, its scale and target bit
 * @param oscales the output scales, one per head
 * @param inputShapes per input name, its shape
 */
public record CvmExt(Map<String, InputExt> inputsExt, List<Double> oscales, Map<String, List<Long>> inputShapes) {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /**
   * Scale and precision of one input.
   *
   * @param scale integer value = round(float value * scale)
   * @param targetBit the precision of the input
   */
  public record InputExt(double scale, int targetBit) {
  }

  /** Copies the collections. */
  public CvmExt {
    inputsExt = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(inputsExt));
    oscales = List.copyOf(oscales);
    Map<String, List<Long>> s = new LinkedHashMap<>();
    inputShapes.forEach((k, v) -> s.put(k, List.copyOf(v)));
    inputShapes = java.util.Collections.unmodifiableMap(s);
  }

  /** The three JSON lines. */
  public String toText() {
    Map<String, Object> in = new LinkedHashMap<>();
    inputsExt.forEach((k, v) -> {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("scale", v.scale());
      m.put("target_bit", v.targetBit());
      in.put(k, m);
    });
    try {
      return MAPPER.writeValueAsString(in) + "\n" + MAPPER.writeValueAsString(oscales) + "\n"
          + MAPPER.writeValueAsString(inputShapes) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Parses the three JSON lines; {@code source} names the file in errors. */
  public static CvmExt parse(String text, String source) {
    String[] lines = text.strip().split("\n");
    if (lines.length != 3) {
      throw new MrtException(source + ": expected 3 JSON lines (inputs_ext, oscales, input_shapes), found "
          + lines.length);
    }
    try {
      JsonNode in = MAPPER.readTree(lines[0]);
      JsonNode os = MAPPER.readTree(lines[1]);
      JsonNode sh = MAPPER.readTree(lines[2]);
      Map<String, InputExt> inputs = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = in.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        JsonNode v = e.getValue();
        if (!v.path("scale").isNumber() || !v.path("target_bit").canConvertToInt()) {
          throw new MrtException(source + ": line 1, input " + e.getKey()
              + ": expected {\"scale\": number, \"target_bit\": int}, found " + v);
        }
        inputs.put(e.getKey(), new InputExt(v.get("scale").asDouble(), v.get("target_bit").asInt()));
      }
      List<Double> oscales = new ArrayList<>();
      for (JsonNode x : os) {
        oscales.add(x.asDouble());
      }
      Map<String, List<Long>> shapes = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = sh.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        List<Long> dims = new ArrayList<>();
        for (JsonNode d : e.getValue()) {
          dims.add(d.asLong());
        }
        shapes.put(e.getKey(), dims);
      }
      return new CvmExt(inputs, oscales, shapes);
    } catch (JsonProcessingException e) {
      throw new MrtException(source + ": invalid JSON: " + e.getOriginalMessage(), e);
    }
  }
}

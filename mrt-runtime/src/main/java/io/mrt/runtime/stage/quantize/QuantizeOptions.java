package io.mrt.runtime.stage.quantize;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The options of the quantize stage: the QUANTIZE section of the MRT V3 configuration (spec
 * MRT_PIPELINE.md section 1) with MRT's defaults.
 *
 * @param inputPrecision INPUT_PRECISION, the precision of {@code data} (MRT default 8)
 * @param outputPrecision OUTPUT_PRECISION, the precision every model output is requantized to;
 *     0 for none (MRT's default: no output requantization)
 * @param shiftBits SHIFT_BITS, the requantization bit budget (MRT default 5)
 * @param softmaxLambd SOFTMAX_LAMBD, the softmax lookup-table range (MRT default 10)
 * @param restoreNames RESTORE_NAMES: node names kept in float, {@code _OP_<op>} for every node of
 *     an op, {@code _ALL_EXCEPT_} to restore every quantizable node not listed
 * @param thresholds THRESHOLDS, node name to a threshold that replaces the calibrated one
 * @param attributeDeps ATTRIBUTE_DEPS (merge of a split model): top op name to (attribute name to
 *     base output name); the top attribute is multiplied by that base output's scale
 * @param oscaleMaps OSCALE_MAPS (merge): top output name to the base output whose scale it takes,
 *     or {@code "None"} for scale 1, in output order
 * @param splitKeys PREPARE.SPLIT_KEYS; when not empty the quantized base is merged under the
 *     float top ({@code .top.json/.params}) into {@code .all.quantize.*}
 * @param granularity GRANULARITY: {@code tensor} (one weight scale per layer, MRT's rule) or
 *     {@code channel} (one per output channel of conv and dense weights)
 * @param channelNames CHANNEL_NAMES: nodes quantized per channel whatever the granularity (names,
 *     {@code _OP_<op>}, {@code _ALL_EXCEPT_} as in RESTORE_NAMES)
 */
public record QuantizeOptions(
    int inputPrecision,
    int outputPrecision,
    int shiftBits,
    double softmaxLambd,
    List<String> restoreNames,
    Map<String, Double> thresholds,
    Map<String, Map<String, String>> attributeDeps,
    Map<String, String> oscaleMaps,
    List<String> splitKeys,
    String granularity,
    List<String> channelNames) {

  /** Weights quantized with one scale per layer. */
  public static final String TENSOR = "tensor";
  /** Weights quantized with one scale per output channel. */
  public static final String CHANNEL = "channel";

  /** MRT's default input precision. */
  public static final int DEFAULT_INPUT_PRECISION = 8;
  /** MRT's default SHIFT_BITS. */
  public static final int DEFAULT_SHIFT_BITS = 5;
  /** MRT's default SOFTMAX_LAMBD. */
  public static final double DEFAULT_SOFTMAX_LAMBD = 10;

  /** Validates the ranges and copies the collections (keeping their order). */
  public QuantizeOptions {
    if (inputPrecision < 1 || inputPrecision > 32) {
      throw new io.mrt.runtime.MrtException("QUANTIZE.INPUT_PRECISION must be in [1, 32], found " + inputPrecision);
    }
    if (outputPrecision != 0 && (outputPrecision < 1 || outputPrecision > 32)) {
      throw new io.mrt.runtime.MrtException("QUANTIZE.OUTPUT_PRECISION must be in [1, 32] (or unset), found " + outputPrecision);
    }
    if (shiftBits < 0 || shiftBits > 31) {
      throw new io.mrt.runtime.MrtException("QUANTIZE.SHIFT_BITS must be in [0, 31], found " + shiftBits);
    }
    if (!(softmaxLambd > 0) || Double.isInfinite(softmaxLambd)) {
      throw new io.mrt.runtime.MrtException("QUANTIZE.SOFTMAX_LAMBD must be positive, found " + softmaxLambd);
    }
    restoreNames = List.copyOf(restoreNames);
    thresholds = copy(thresholds);
    Map<String, Map<String, String>> deps = new LinkedHashMap<>();
    attributeDeps.forEach((k, v) -> deps.put(k, copy(v)));
    attributeDeps = java.util.Collections.unmodifiableMap(deps);
    oscaleMaps = copy(oscaleMaps);
    splitKeys = List.copyOf(splitKeys);
    if (!TENSOR.equals(granularity) && !CHANNEL.equals(granularity)) {
      throw new io.mrt.runtime.MrtException("QUANTIZE.GRANULARITY: expected tensor or channel, found " + granularity);
    }
    channelNames = List.copyOf(channelNames);
  }

  private static <V> Map<String, V> copy(Map<String, V> m) {
    return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(m));
  }

  /** MRT's defaults: input precision 8, no output precision, shift bits 5, softmax lambda 10. */
  public static QuantizeOptions defaults() {
    return new QuantizeOptions(DEFAULT_INPUT_PRECISION, 0, DEFAULT_SHIFT_BITS, DEFAULT_SOFTMAX_LAMBD,
        List.of(), Map.of(), Map.of(), Map.of(), List.of(), TENSOR, List.of());
  }

  /** A copy with another INPUT_PRECISION. */
  public QuantizeOptions withInputPrecision(int p) {
    return new QuantizeOptions(p, outputPrecision, shiftBits, softmaxLambd, restoreNames, thresholds,
        attributeDeps, oscaleMaps, splitKeys, granularity, channelNames);
  }

  /** A copy with another OUTPUT_PRECISION (0: none). */
  public QuantizeOptions withOutputPrecision(int p) {
    return new QuantizeOptions(inputPrecision, p, shiftBits, softmaxLambd, restoreNames, thresholds,
        attributeDeps, oscaleMaps, splitKeys, granularity, channelNames);
  }

  /** A copy with another SHIFT_BITS. */
  public QuantizeOptions withShiftBits(int b) {
    return new QuantizeOptions(inputPrecision, outputPrecision, b, softmaxLambd, restoreNames, thresholds,
        attributeDeps, oscaleMaps, splitKeys, granularity, channelNames);
  }

  /** A copy with another SOFTMAX_LAMBD. */
  public QuantizeOptions withSoftmaxLambd(double l) {
    return new QuantizeOptions(inputPrecision, outputPrecision, shiftBits, l, restoreNames, thresholds,
        attributeDeps, oscaleMaps, splitKeys, granularity, channelNames);
  }

  /** A copy with other RESTORE_NAMES. */
  public QuantizeOptions withRestoreNames(List<String> names) {
    return new QuantizeOptions(inputPrecision, outputPrecision, shiftBits, softmaxLambd, names, thresholds,
        attributeDeps, oscaleMaps, splitKeys, granularity, channelNames);
  }

  /** A copy with other THRESHOLDS overrides. */
  public QuantizeOptions withThresholds(Map<String, Double> th) {
    return new QuantizeOptions(inputPrecision, outputPrecision, shiftBits, softmaxLambd, restoreNames, th,
        attributeDeps, oscaleMaps, splitKeys, granularity, channelNames);
  }

  /** A copy with a split: SPLIT_KEYS, ATTRIBUTE_DEPS and OSCALE_MAPS. */
  public QuantizeOptions withSplit(List<String> keys, Map<String, Map<String, String>> deps, Map<String, String> maps) {
    return new QuantizeOptions(inputPrecision, outputPrecision, shiftBits, softmaxLambd, restoreNames, thresholds,
        deps, maps, keys, granularity, channelNames);
  }

  /** A copy with another GRANULARITY and CHANNEL_NAMES. */
  public QuantizeOptions withGranularity(String g, List<String> names) {
    return new QuantizeOptions(inputPrecision, outputPrecision, shiftBits, softmaxLambd, restoreNames, thresholds,
        attributeDeps, oscaleMaps, splitKeys, g, names);
  }
}

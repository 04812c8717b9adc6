package io.mrt.runtime.config;

import io.mrt.annotations.text.Spelling;
import io.mrt.runtime.config.ConfigKey.Type;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every section and key of the MRT V3 YAML configuration (spec MRT_PIPELINE.md section 1), plus
 * the keys this project adds (marked "extension" in their help). The order is the order of the
 * config reference.
 */
public final class ConfigSchema {
  /** The sections, in pipeline order. */
  public static final List<String> SECTIONS =
      List.of("COMMON", "PREPARE", "CALIBRATE", "QUANTIZE", "EVALUATE", "COMPILE");

  private static final Map<String, ConfigKey> KEYS = new LinkedHashMap<>();

  static {
    key("COMMON", "PASS_NAME", Type.STRING, "all", "Stage to run: all, prepare, calibrate, quantize, evaluate or compile.");
    key("COMMON", "MODEL_DIR", Type.STRING, "~/mrt_model", "Directory of the model files (MRT's default ~/mrt_model); relative paths are resolved against the config file's directory.");
    key("COMMON", "MODEL_NAME", Type.STRING, null, "File stem: MODEL_DIR/MODEL_NAME-symbol.json (or .json) and -0000.params (or .params). Required.");
    key("COMMON", "MODEL_FORMAT", Type.STRING, "auto", "Extension: the original model's format: mxnet, onnx (MODEL_DIR/MODEL_NAME.onnx) or auto (onnx when only the .onnx file exists).");
    key("COMMON", "VERBOSITY", Type.STRING, "info", "Accepted for compatibility with MRT configs; the log level is warn, or debug with --verbose.");
    key("COMMON", "START_AFTER", Type.STRING, "initial", "Resume point: initial, prepare, calibrate or quantize (the stages up to it are read from their saved files).");
    key("COMMON", "DEVICE_TYPE", Type.STRING, "cpu", "cpu or gpu; gpu runs on the CPU with one warning (no GPU engine is wired in).");
    key("COMMON", "DEVICE_IDS", Type.INT_LIST, List.of(0), "Accepted for compatibility; the CPU executors use every core.");
    key("COMMON", "BATCH", Type.INT, 16, "Default batch size of the stages.");
    key("COMMON", "RUN_EVALUATE", Type.BOOL, true, "Run the evaluate stage when PASS_NAME is all.");
    key("COMMON", "RUN_COMPILE", Type.BOOL, true, "Run the compile stage when PASS_NAME is all.");
    key("COMMON", "OUTPUT_DIR", Type.NULLABLE_STRING, null, "Extension: where stage files are written (default MODEL_DIR).");
    key("COMMON", "PLUGINS_DIR", Type.NULLABLE_STRING, null, "Extension: directory of plugin jars, operators and data sets (after --plugins and MRT_PLUGINS_DIR).");
    key("COMMON", "OP_PROVIDERS", Type.STRING_MAP, Map.of(), "Extension: op name -> plugin id or registry name, to choose between two providers of one op.");
    key("COMMON", "PLUGINS_SHA256", Type.STRING_MAP, Map.of(), "Extension: plugin jar file name -> SHA-256; when set, a jar not listed or changed is refused (else the plugins directory's plugins.lock, written by mrt plugins --lock, pins the jars).");

    key("PREPARE", "INPUT_SHAPE", Type.INT_LIST, List.of(-1, 3, 224, 224), "Input shape; exactly one -1 marks the batch axis.");
    key("PREPARE", "SPLIT_KEYS", Type.STRING_LIST, List.of(), "Node names at which the model is split into base and top.");
    key("PREPARE", "DEVICE_TYPE", Type.NULLABLE_STRING, null, "Inherits COMMON.DEVICE_TYPE.");
    key("PREPARE", "DEVICE_IDS", Type.LIST, null, "Inherits COMMON.DEVICE_IDS.");

    key("CALIBRATE", "BATCH", Type.NULLABLE_INT, null, "Calibration batch size (inherits COMMON.BATCH).");
    key("CALIBRATE", "NUM_CALIB", Type.INT, 1, "Number of calibration batches.");
    key("CALIBRATE", "LAMBD", Type.NULLABLE_DOUBLE, null, "Outlier-clipping hyperparameter (null = pure abs-max).");
    key("CALIBRATE", "METHOD", Type.NULLABLE_STRING, null, "Extension: abs_max, lambda, percentile or kl (default: lambda when LAMBD is set, else abs_max).");
    key("CALIBRATE", "PERCENTILE", Type.NULLABLE_DOUBLE, null, "Extension: percentile of |x| for METHOD percentile (default 99.99).");
    key("CALIBRATE", "DATASET_NAME", Type.STRING, "mnist", "A data set of the catalogue: imagenet, cifar10, mnist, fashion_mnist, stdrandom, image_folder, voc, coco, quickdraw, trec, or one a plugin adds.");
    key("CALIBRATE", "DATASET_DIR", Type.NULLABLE_STRING, null, "Directory of the dataset files (MRT's default ~/.mxnet/datasets/<DATASET_NAME>); relative paths are resolved against the config file's directory.");
    key("CALIBRATE", "DATASET_SPLIT", Type.STRING, "test", "Extension: which split to calibrate on: train or test.");
    key("CALIBRATE", "SCALE", Type.NULLABLE_DOUBLE, null, "Extension: pixel scale (default 1/255).");
    key("CALIBRATE", "MEAN", Type.DOUBLE_LIST, List.of(), "Extension: per-channel mean subtracted after scaling (default none).");
    key("CALIBRATE", "STD", Type.DOUBLE_LIST, List.of(), "Extension: per-channel std divided after the mean (default none).");
    key("CALIBRATE", "LAYOUT", Type.STRING, "NCHW", "Extension: NCHW or NHWC.");
    key("CALIBRATE", "DEVICE_TYPE", Type.NULLABLE_STRING, null, "Inherits COMMON.DEVICE_TYPE.");
    key("CALIBRATE", "DEVICE_IDS", Type.LIST, null, "Inherits COMMON.DEVICE_IDS.");

    key("QUANTIZE", "INPUT_PRECISION", Type.NULLABLE_INT, null, "Precision of data (default 8).");
    key("QUANTIZE", "OUTPUT_PRECISION", Type.NULLABLE_INT, null, "Precision of the model outputs (null = no requantization).");
    key("QUANTIZE", "RESTORE_NAMES", Type.STRING_LIST, List.of(), "Nodes kept in float: names, _OP_<op>, _ALL_EXCEPT_.");
    key("QUANTIZE", "SOFTMAX_LAMBD", Type.NULLABLE_DOUBLE, null, "Softmax lookup-table range (default 10).");
    key("QUANTIZE", "SHIFT_BITS", Type.NULLABLE_INT, null, "Requantization bit budget (default 5).");
    key("QUANTIZE", "THRESHOLDS", Type.LIST, List.of(), "[[name, threshold], ...] overrides of calibrated thresholds.");
    key("QUANTIZE", "ATTRIBUTE_DEPS", Type.LIST, List.of(), "[[op_name, [[attr, base_output_name], ...]], ...] for merge.");
    key("QUANTIZE", "OSCALE_MAPS", Type.LIST, List.of(), "[[top_output, base_output or None], ...] output scales after merge.");
    key("QUANTIZE", "GRANULARITY", Type.STRING, "tensor", "Weight scales of conv and dense: tensor (one per layer) or channel (one per output channel) (extension).");
    key("QUANTIZE", "CHANNEL_NAMES", Type.STRING_LIST, List.of(), "Nodes whose weights are quantized per channel whatever GRANULARITY: names, _OP_<op> (extension).");
    key("QUANTIZE", "DEVICE_TYPE", Type.NULLABLE_STRING, null, "Inherits COMMON.DEVICE_TYPE.");
    key("QUANTIZE", "DEVICE_IDS", Type.LIST, null, "Inherits COMMON.DEVICE_IDS.");

    key("EVALUATE", "BATCH", Type.NULLABLE_INT, null, "Evaluation batch size (inherits COMMON.BATCH).");
    key("EVALUATE", "ITER_NUM", Type.INT, 10, "Number of batches to evaluate (0 = skip; -1 = the whole test set, extension).");
    key("EVALUATE", "REPORT", Type.BOOL, false, "After evaluate, write the per-node quantization report (extension; see mrt report).");
    key("EVALUATE", "REPORT_IMAGES", Type.INT, 256, "Test images the report runs after the calibration batches (extension).");
    key("EVALUATE", "DEVICE_TYPE", Type.NULLABLE_STRING, null, "Inherits COMMON.DEVICE_TYPE.");
    key("EVALUATE", "DEVICE_IDS", Type.LIST, null, "Inherits COMMON.DEVICE_IDS.");

    key("COMPILE", "BATCH", Type.INT, 1, "Batch baked into the CVM graph.");
    key("COMPILE", "DUMP_DIR", Type.STRING, "~/mrt_dump", "Output directory; the model is written to DUMP_DIR/<MODEL_NAME>_cvm.");
    key("COMPILE", "DEVICE_TYPE", Type.NULLABLE_STRING, null, "Inherits COMMON.DEVICE_TYPE.");
    key("COMPILE", "DEVICE_IDS", Type.LIST, null, "Inherits COMMON.DEVICE_IDS.");
  }

  private ConfigSchema() {}

  private static void key(String section, String name, Type type, Object dflt, String help) {
    ConfigKey k = new ConfigKey(section, name, type, dflt, help);
    KEYS.put(k.path(), k);
  }

  /** Every key, in reference order. */
  public static List<ConfigKey> keys() {
    return Collections.unmodifiableList(new ArrayList<>(KEYS.values()));
  }

  /** The key {@code SECTION.NAME}, if it exists. */
  public static Optional<ConfigKey> key(String path) {
    return Optional.ofNullable(KEYS.get(path));
  }

  /** The keys of one section. */
  public static List<ConfigKey> keys(String section) {
    return KEYS.values().stream().filter(k -> k.section().equals(section)).toList();
  }

  /** The closest valid key of {@code section} to {@code name} (edit distance), for error messages. */
  public static String closest(String section, String name) {
    return Spelling.closest(name.toUpperCase(java.util.Locale.ROOT), keys(section).stream().map(ConfigKey::name).toList(),
        Integer.MAX_VALUE);
  }

  /** The closest section name. */
  public static String closestSection(String name) {
    return Spelling.closest(name.toUpperCase(java.util.Locale.ROOT), SECTIONS, Integer.MAX_VALUE);
  }
}

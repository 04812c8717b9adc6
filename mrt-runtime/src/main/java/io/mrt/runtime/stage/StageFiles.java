package io.mrt.runtime.stage;

import io.mrt.runtime.MrtException;
import io.mrt.runtime.config.MrtConfig;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The files of one model through the pipeline, named as MRT V3 names them (spec MRT_PIPELINE.md
 * section 0). Every stage reads the files of the stage before it and writes its own, so a run can
 * stop and resume ({@code START_AFTER}).
 *
 * <pre>
 * MODEL_DIR/NAME-symbol.json, NAME-0000.params   original (MXNet export; NAME.json/.params also accepted)
 * MODEL_DIR/NAME.onnx                            original (ONNX; COMMON.MODEL_FORMAT onnx, or auto and no MXNet files)
 * OUT/NAME.fixed.{json,params}                   names fixed: the float reference of evaluate
 * OUT/NAME.prepare.{json,params,conf}            prepared float model
 * OUT/NAME.base.*, NAME.top.*                    split model (SPLIT_KEYS)
 * OUT/NAME.mrt.calibrate.{json,params,ext}       calibrated (thresholds in .ext)
 * OUT/NAME.mrt.quantize.{json,params,ext}        quantized (integer graph)
 * OUT/NAME.all.quantize.{json,params,ext}        merged (split case) / output scales
 * OUT/NAME.evaluate.json                         evaluation report
 * DUMP_DIR/NAME_cvm/{symbol,params,data.npy,ext} compiled CVM model
 * </pre>
 */
public record StageFiles(Path modelDir, Path outputDir, String name, Path dumpDir) {
  /** The files of the model a config describes. */
  public static StageFiles of(MrtConfig config) {
    return new StageFiles(config.modelDir(), config.outputDir(), config.modelName(), config.path("COMPILE.DUMP_DIR"));
  }

  /** {@code COMMON.MODEL_FORMAT}: read MXNet files. */
  public static final String MXNET = "mxnet";
  /** {@code COMMON.MODEL_FORMAT}: read {@code NAME.onnx}. */
  public static final String ONNX = "onnx";
  /** {@code COMMON.MODEL_FORMAT}: ONNX when {@code NAME.onnx} exists and no MXNet symbol does, else MXNet. */
  public static final String AUTO = "auto";

  /** The format to read for a {@code COMMON.MODEL_FORMAT} value: {@link #MXNET} or {@link #ONNX}. */
  public String format(String configured) {
    String f = configured == null ? AUTO : configured.trim().toLowerCase(java.util.Locale.ROOT);
    return switch (f) {
      case MXNET, ONNX -> f;
      case AUTO -> Files.exists(originalOnnx()) && !Files.exists(modelDir.resolve(name + "-symbol.json"))
          && !Files.exists(modelDir.resolve(name + ".json")) ? ONNX : MXNET;
      default -> throw new MrtException("COMMON.MODEL_FORMAT: expected auto, mxnet or onnx, found '" + configured + "'");
    };
  }

  /** The original ONNX model, {@code MODEL_DIR/NAME.onnx}; an error when it does not exist. */
  public Path originalOnnx() {
    return modelDir.resolve(name + ".onnx");
  }

  /** The original symbol: NAME-symbol.json if present, else NAME.json. */
  public Path originalSymbol() {
    Path mx = modelDir.resolve(name + "-symbol.json");
    Path mrt = modelDir.resolve(name + ".json");
    if (Files.exists(mx)) {
      return mx;
    }
    if (Files.exists(mrt)) {
      return mrt;
    }
    throw new MrtException("model " + name + ": no symbol file in " + modelDir + " (expected " + mx.getFileName()
        + " or " + mrt.getFileName() + ")");
  }

  /** The original params: NAME-0000.params (or the only NAME-NNNN.params), else NAME.params. */
  public Path originalParams() {
    Path mrt = modelDir.resolve(name + ".params");
    try (var files = Files.list(modelDir)) {
      var matches = files.filter(p -> p.getFileName().toString().matches(java.util.regex.Pattern.quote(name) + "-\\d{4}\\.params"))
          .sorted().toList();
      if (matches.size() == 1) {
        return matches.get(0);
      }
      if (matches.size() > 1) {
        throw new MrtException("model " + name + ": several params files in " + modelDir + " " + matches
            + "; keep one epoch or rename it " + mrt.getFileName());
      }
    } catch (java.io.IOException e) {
      throw new MrtException("model " + name + ": cannot list " + modelDir + ": " + e.getMessage());
    }
    if (Files.exists(mrt)) {
      return mrt;
    }
    throw new MrtException("model " + name + ": no params file in " + modelDir + " (expected " + name
        + "-0000.params or " + mrt.getFileName() + ")");
  }

  /** {@code OUT/NAME.<stage>.<ext>}. */
  public Path stageFile(String stage, String ext) {
    return outputDir.resolve(name + "." + stage + "." + ext);
  }

  /** The fixed (names-unified) model's symbol. */
  public Path fixedSymbol() {
    return stageFile("fixed", "json");
  }

  /** The fixed model's params. */
  public Path fixedParams() {
    return stageFile("fixed", "params");
  }

  /** The prepared model's symbol. */
  public Path prepareSymbol() {
    return stageFile("prepare", "json");
  }

  /** The prepared model's params. */
  public Path prepareParams() {
    return stageFile("prepare", "params");
  }

  /** The prepare stage's conf ({input_shape}). */
  public Path prepareConf() {
    return stageFile("prepare", "conf");
  }

  /** {@code OUT/NAME.mrt.calibrate.<ext>}. */
  public Path calibrate(String ext) {
    return stageFile("mrt.calibrate", ext);
  }

  /** {@code OUT/NAME.mrt.quantize.<ext>}. */
  public Path quantize(String ext) {
    return stageFile("mrt.quantize", ext);
  }

  /** {@code OUT/NAME.all.quantize.<ext>}. */
  public Path allQuantize(String ext) {
    return stageFile("all.quantize", ext);
  }

  /** The evaluation report. */
  public Path evaluateReport() {
    return stageFile("evaluate", "json");
  }

  /** The compiled model's directory, DUMP_DIR/NAME_cvm. */
  public Path cvmDir() {
    return dumpDir.resolve(name + "_cvm");
  }
}

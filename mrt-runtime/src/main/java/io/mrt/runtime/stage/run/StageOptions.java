package io.mrt.runtime.stage.run;

import io.mrt.runtime.MrtException;
import io.mrt.runtime.config.MrtConfig;
import io.mrt.runtime.stage.compile.CompileOptions;
import io.mrt.runtime.stage.evaluate.EvaluateOptions;
import io.mrt.runtime.stage.prepare.PrepareOptions;
import io.mrt.runtime.stage.calibrate.CalibrateOptions;
import io.mrt.runtime.stage.quantize.QuantizeOptions;
import io.mrt.runtime.stage.report.ReportOptions;
import io.mrt.runtime.stage.report.ReportStage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Maps a config onto the stages' option records: the one place where a stage's keys are read (the
 * stages themselves never read the config).
 */
public final class StageOptions {
  private StageOptions() {}

  /** COMMON.MODEL_FORMAT. */
  public static PrepareOptions prepare(MrtConfig c) {
    return new PrepareOptions(c.string("COMMON.MODEL_FORMAT"));
  }

  /**
   * EVALUATE.ITER_NUM, and with EVALUATE.REPORT the report after the evaluation (its options read
   * then, once the evaluation is done).
   */
  public static EvaluateOptions evaluate(MrtConfig c) {
    return new EvaluateOptions(c.integer("EVALUATE.ITER_NUM"),
        context -> c.bool("EVALUATE.REPORT") ? Optional.of(ReportStage.run(context, report(c)).html()) : Optional.empty());
  }

  /** COMPILE.BATCH. */
  public static CompileOptions compile(MrtConfig c) {
    return new CompileOptions(c.integer("COMPILE.BATCH"));
  }

  /** The report: the QUANTIZE options, CALIBRATE.BATCH and EVALUATE.REPORT_IMAGES. */
  public static ReportOptions report(MrtConfig c) {
    return new ReportOptions(quantize(c), c.batch("CALIBRATE"), c.integer("EVALUATE.REPORT_IMAGES"));
  }

  /** CALIBRATE: BATCH, NUM_CALIB, METHOD, LAMBD, PERCENTILE, and QUANTIZE.THRESHOLDS overrides. */
  public static CalibrateOptions calibrate(MrtConfig c) {
    CalibrateOptions o = CalibrateOptions.of(c.batch("CALIBRATE"), c.integer("CALIBRATE.NUM_CALIB"))
        .withMethod(c.string("CALIBRATE.METHOD"), c.nullableDouble("CALIBRATE.LAMBD"));
    Double p = c.nullableDouble("CALIBRATE.PERCENTILE");
    return p == null ? o : o.withPercentile(p);
  }

  /** QUANTIZE: every key, with MRT's defaults for the null ones. */
  public static QuantizeOptions quantize(MrtConfig c) {
    QuantizeOptions o = QuantizeOptions.defaults();
    Integer ip = c.nullableInt("QUANTIZE.INPUT_PRECISION");
    Integer op = c.nullableInt("QUANTIZE.OUTPUT_PRECISION");
    Integer sb = c.nullableInt("QUANTIZE.SHIFT_BITS");
    Double sl = c.nullableDouble("QUANTIZE.SOFTMAX_LAMBD");
    if (ip != null) {
      o = o.withInputPrecision(ip);
    }
    if (op != null) {
      o = o.withOutputPrecision(op);
    }
    if (sb != null) {
      o = o.withShiftBits(sb);
    }
    if (sl != null) {
      o = o.withSoftmaxLambd(sl);
    }
    o = o.withRestoreNames(c.strings("QUANTIZE.RESTORE_NAMES")).withThresholds(thresholds(c));
    o = o.withGranularity(c.string("QUANTIZE.GRANULARITY").toLowerCase(java.util.Locale.ROOT),
        c.strings("QUANTIZE.CHANNEL_NAMES"));
    return o.withSplit(c.strings("PREPARE.SPLIT_KEYS"), attributeDeps(c), oscaleMaps(c));
  }

  /** QUANTIZE.THRESHOLDS: [[name, threshold], ...]. */
  static Map<String, Double> thresholds(MrtConfig c) {
    Map<String, Double> th = new LinkedHashMap<>();
    for (Object item : c.list("QUANTIZE.THRESHOLDS")) {
      if (!(item instanceof List<?> pair) || pair.size() != 2 || !(pair.get(1) instanceof Number n)) {
        throw new MrtException(where(c) + "QUANTIZE.THRESHOLDS: expected [name, threshold] pairs, found " + item);
      }
      th.put(String.valueOf(pair.get(0)), n.doubleValue());
    }
    return th;
  }

  /** QUANTIZE.ATTRIBUTE_DEPS: [[op_name, [[attr, base_output_name], ...]], ...]. */
  static Map<String, Map<String, String>> attributeDeps(MrtConfig c) {
    Map<String, Map<String, String>> deps = new LinkedHashMap<>();
    for (Object item : c.list("QUANTIZE.ATTRIBUTE_DEPS")) {
      if (!(item instanceof List<?> pair) || pair.size() != 2 || !(pair.get(1) instanceof List<?> attrs)) {
        throw new MrtException(where(c) + "QUANTIZE.ATTRIBUTE_DEPS: expected [op_name, [[attr, base_output], ...]], found "
            + item);
      }
      Map<String, String> m = new LinkedHashMap<>();
      for (Object a : attrs) {
        if (!(a instanceof List<?> ab) || ab.size() != 2) {
          throw new MrtException(where(c) + "QUANTIZE.ATTRIBUTE_DEPS of " + pair.get(0)
              + ": expected [attr, base_output] pairs, found " + a);
        }
        m.put(String.valueOf(ab.get(0)), String.valueOf(ab.get(1)));
      }
      deps.put(String.valueOf(pair.get(0)), m);
    }
    return deps;
  }

  /** QUANTIZE.OSCALE_MAPS: [[top_output, base_output or None], ...]. */
  static Map<String, String> oscaleMaps(MrtConfig c) {
    Map<String, String> maps = new LinkedHashMap<>();
    for (Object item : c.list("QUANTIZE.OSCALE_MAPS")) {
      if (!(item instanceof List<?> pair) || pair.size() != 2) {
        throw new MrtException(where(c) + "QUANTIZE.OSCALE_MAPS: expected [top_output, base_output or None] pairs, found "
            + item);
      }
      maps.put(String.valueOf(pair.get(0)), pair.get(1) == null ? "None" : String.valueOf(pair.get(1)));
    }
    return maps;
  }

  private static String where(MrtConfig c) {
    return c.source() == null ? "" : c.source() + ": ";
  }
}

package io.mrt.runtime.stage.calibrate;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The options of the calibrate stage: the CALIBRATE section of the MRT V3 configuration plus the
 * method choice.
 *
 * @param batch BATCH, images per calibration batch
 * @param numCalib NUM_CALIB, the number of batches
 * @param method METHOD: {@code abs_max}, {@code lambda} (MRT's outlier rule, needs LAMBD),
 *     {@code percentile} or {@code kl}; {@code null} chooses as MRT does: {@code lambda} when
 *     LAMBD is set, else {@code abs_max}
 * @param lambd LAMBD, the outlier hyperparameter of {@code lambda} ({@code null}: unset)
 * @param percentile PERCENTILE, the percentile of |x| for {@code percentile} (default 99.99)
 * @param bins the histogram bins of {@code percentile} and {@code kl} (default 2048)
 * @param klTargetBins the quantized bins KL compares against (default 128: one sign of 8 bits)
 * @param thresholds node name to a threshold that replaces the calibrated one in the side file
 */
public record CalibrateOptions(
    int batch,
    int numCalib,
    String method,
    Double lambd,
    double percentile,
    int bins,
    int klTargetBins,
    Map<String, Double> thresholds) {

  /** The default PERCENTILE. */
  public static final double DEFAULT_PERCENTILE = 99.99;
  /** The default histogram size. */
  public static final int DEFAULT_BINS = 2048;
  /** The default KL target bins. */
  public static final int DEFAULT_KL_TARGET_BINS = 128;

  /** Validates the ranges and the method name. */
  public CalibrateOptions {
    if (batch < 1) {
      throw new io.mrt.runtime.MrtException("CALIBRATE.BATCH must be >= 1, found " + batch);
    }
    if (numCalib < 1) {
      throw new io.mrt.runtime.MrtException("CALIBRATE.NUM_CALIB must be >= 1, found " + numCalib);
    }
    if (bins < 2 || bins > (1 << 20)) {
      throw new io.mrt.runtime.MrtException("calibration histogram bins must be in [2, 2^20], found " + bins);
    }
    thresholds = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(thresholds));
    calibrationMethod(method, lambd, percentile, bins, klTargetBins); // validates
  }

  /** MRT's defaults: abs-max over {@code numCalib} batches of {@code batch} images. */
  public static CalibrateOptions of(int batch, int numCalib) {
    return new CalibrateOptions(batch, numCalib, null, null, DEFAULT_PERCENTILE, DEFAULT_BINS,
        DEFAULT_KL_TARGET_BINS, Map.of());
  }

  /** A copy with another method (and LAMBD for {@code lambda}). */
  public CalibrateOptions withMethod(String m, Double l) {
    return new CalibrateOptions(batch, numCalib, m, l, percentile, bins, klTargetBins, thresholds);
  }

  /** A copy with another PERCENTILE. */
  public CalibrateOptions withPercentile(double p) {
    return new CalibrateOptions(batch, numCalib, method, lambd, p, bins, klTargetBins, thresholds);
  }

  /** A copy with threshold overrides. */
  public CalibrateOptions withThresholds(Map<String, Double> th) {
    return new CalibrateOptions(batch, numCalib, method, lambd, percentile, bins, klTargetBins, th);
  }

  /** The calibration method these options select. */
  public CalibrationMethod calibrationMethod() {
    return calibrationMethod(method, lambd, percentile, bins, klTargetBins);
  }

  private static CalibrationMethod calibrationMethod(String method, Double lambd, double percentile, int bins,
      int klTargetBins) {
    String m = method == null ? (lambd == null ? AbsMax.NAME : LambdaOutlier.NAME)
        : method.trim().toLowerCase(Locale.ROOT).replace('-', '_');
    switch (m) {
      case "abs_max", "absmax", "max" -> {
        return new AbsMax();
      }
      case "lambda", "outlier" -> {
        if (lambd == null) {
          throw new io.mrt.runtime.MrtException("CALIBRATE.METHOD lambda needs CALIBRATE.LAMBD");
        }
        return new LambdaOutlier(lambd);
      }
      case "percentile" -> {
        return new Percentile(percentile, bins);
      }
      case "kl", "entropy", "kl_entropy" -> {
        return new KlEntropy(bins, klTargetBins);
      }
      default -> throw new io.mrt.runtime.MrtException("CALIBRATE.METHOD must be one of abs_max, lambda, percentile, kl; found '"
          + method + "'");
    }
  }
}

package io.mrt.runtime.data;

import io.mrt.runtime.MrtException;
import java.util.Locale;

/** The order of a batch's axes: channels before rows ({@code NCHW}, MXNet's) or last ({@code NHWC}). */
public enum Layout {
  /** Batch, channels, rows, columns. */
  NCHW,
  /** Batch, rows, columns, channels. */
  NHWC;

  /** Parses {@code NCHW} or {@code NHWC} (any case); {@code key} names the setting in the error. */
  public static Layout parse(String key, String value) {
    try {
      return valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new MrtException(key + ": expected NCHW or NHWC, found '" + value + "'");
    }
  }
}

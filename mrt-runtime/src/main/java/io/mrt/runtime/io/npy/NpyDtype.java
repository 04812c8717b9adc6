package io.mrt.runtime.io.npy;

/**
 * The element types a {@code .npy} file may hold here. All multi-byte types are little-endian.
 * Integer types are held in memory as {@code int} (int64 must fit int32), float32 as {@code float}.
 */
public enum NpyDtype {
  /** Signed 8-bit integer, descr {@code |i1}. */
  INT8("|i1", 1, true),
  /** Unsigned 8-bit integer, descr {@code |u1} (read only; values 0..255). */
  UINT8("|u1", 1, true),
  /** Signed 32-bit integer, descr {@code <i4}. */
  INT32("<i4", 4, true),
  /** Signed 64-bit integer, descr {@code <i8} (read only; every value must fit int32). */
  INT64("<i8", 8, true),
  /** IEEE float32, descr {@code <f4}. */
  FLOAT32("<f4", 4, false);

  private final String descr;
  private final int itemSize;
  private final boolean integer;

  NpyDtype(String descr, int itemSize, boolean integer) {
    this.descr = descr;
    this.itemSize = itemSize;
    this.integer = integer;
  }

  /** The numpy descr string written in the header, for example {@code <i4}. */
  public String descr() {
    return descr;
  }

  /** Bytes per element. */
  public int itemSize() {
    return itemSize;
  }

  /** Whether values are integers (held as {@code int}). */
  public boolean isInteger() {
    return integer;
  }

  /** The dtype for a header descr, accepting the equivalent spellings numpy writes; null if unsupported. */
  static NpyDtype fromDescr(String d) {
    switch (d) {
      case "|i1": case "i1": case "<i1": case "b": return INT8;
      case "|u1": case "u1": case "<u1": case "B": return UINT8;
      case "<i4": case "i4": return INT32;
      case "<i8": case "i8": return INT64;
      case "<f4": case "f4": return FLOAT32;
      default: return null;
    }
  }
}

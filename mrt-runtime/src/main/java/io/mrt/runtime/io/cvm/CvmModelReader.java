package io.mrt.runtime.io.cvm;

import io.mrt.runtime.InputLimits;
import io.mrt.runtime.MrtException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a compiled CVM model directory: {@code symbol} and {@code params} (the two files the
 * runtime reads), and, on request, the {@code ext} side file.
 */
public final class CvmModelReader {
  /** Name of the graph JSON file. */
  public static final String SYMBOL = "symbol";
  /** Name of the params file. */
  public static final String PARAMS = "params";
  /** Name of the sample input file. */
  public static final String DATA = "data.npy";
  /** Name of the side file. */
  public static final String EXT = "ext";

  /** The largest ext side file read. */
  static final long MAX_EXT_BYTES = 64L << 20;

  private CvmModelReader() {
  }

  /** Reads {@code dir/symbol} and {@code dir/params}. */
  public static CvmModel read(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new MrtException(dir + ": expected a compiled CVM model directory (with symbol and params), found "
          + (Files.exists(dir) ? "a file" : "nothing"));
    }
    return new CvmModel(CvmSymbolReader.read(dir.resolve(SYMBOL)), CvmParamsReader.read(dir.resolve(PARAMS)));
  }

  /** Reads {@code dir/ext}. */
  public static CvmExt readExt(Path dir) {
    Path f = dir.resolve(EXT);
    return CvmExt.parse(InputLimits.readUtf8(f, MAX_EXT_BYTES, "ext file"), f.toString());
  }
}

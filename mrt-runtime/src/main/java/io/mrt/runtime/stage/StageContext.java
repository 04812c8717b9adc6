package io.mrt.runtime.stage;

import io.mrt.runtime.MrtException;
import io.mrt.runtime.registry.OpTable;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What every stage of one model works with: the model's files, its input shape and split keys
 * (PREPARE.INPUT_SHAPE and PREPARE.SPLIT_KEYS, which every stage after prepare reads too), the op
 * table, the data set's batches, and where the lines for the user go.
 *
 * @param files the model's files
 * @param inputShape PREPARE.INPUT_SHAPE, the batch axis {@code -1}
 * @param splitKeys PREPARE.SPLIT_KEYS (empty: the model is not split)
 * @param ops the op table
 * @param data the batches of the configured data set
 * @param out the lines for the user
 */
public record StageContext(StageFiles files, List<Integer> inputShape, List<String> splitKeys, OpTable ops,
    StageBatches data, PrintWriter out) {
  /** Copies the lists. */
  public StageContext {
    inputShape = List.copyOf(inputShape);
    splitKeys = List.copyOf(splitKeys);
  }

  /** The input shape with the batch axis ({@code -1}) replaced by {@code batch}. */
  public long[] inputShape(int batch) {
    long[] s = new long[inputShape.size()];
    for (int i = 0; i < s.length; i++) {
      s[i] = inputShape.get(i) == -1 ? batch : inputShape.get(i);
    }
    return s;
  }

  /** Whether the prepare stage split the model (PREPARE.SPLIT_KEYS). */
  public boolean split() {
    return !splitKeys.isEmpty();
  }

  /**
   * Stops with {@code FILE: not found; run the STAGE stage first (or lower COMMON.START_AFTER)}
   * when a file the stage reads is missing.
   */
  public static void requireInput(Path file, String stage) {
    if (!Files.exists(file)) {
      throw new MrtException(file + ": not found; run the " + stage + " stage first (or lower COMMON.START_AFTER)");
    }
  }
}

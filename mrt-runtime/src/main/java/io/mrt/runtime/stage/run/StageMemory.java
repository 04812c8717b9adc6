package io.mrt.runtime.stage.run;

import io.mrt.runtime.OutOfResourcesException;
import io.mrt.runtime.config.MrtConfig;
import java.util.Locale;

/** Turns a stage's {@link OutOfMemoryError} into one line that says what to change. */
final class StageMemory {
  private StageMemory() {}

  /**
   * The message of a stage that ran out of memory; {@code section} is the config section whose
   * BATCH the stage works with (null: none). E.g. {@code evaluate ran out of memory (Java heap
   * space) at EVALUATE.BATCH 100 with a 1024 MiB Java heap: lower EVALUATE.BATCH (e.g.
   * --evaluate.batch 50) or raise the heap (e.g. MRT_JAVA_OPTS=-Xmx2g)}.
   */
  static OutOfResourcesException exhausted(String stage, String section, MrtConfig c, OutOfMemoryError e) {
    long maxMiB = Runtime.getRuntime().maxMemory() / (1024 * 1024);
    String what = e.getMessage() == null || e.getMessage().isBlank() ? "" : " (" + e.getMessage() + ")";
    StringBuilder m = new StringBuilder(stage).append(" ran out of memory").append(what);
    long suggestedHeap = Math.max(2, (maxMiB * 2 + 1023) / 1024);
    String raise = String.format(Locale.ROOT, "raise the heap (e.g. MRT_JAVA_OPTS=-Xmx%dg)", suggestedHeap);
    if (section != null) {
      int batch = c.batch(section);
      m.append(" at ").append(section).append(".BATCH ").append(batch)
          .append(" with a ").append(maxMiB).append(" MiB Java heap: lower ").append(section).append(".BATCH");
      if (batch > 1) {
        m.append(" (e.g. --").append(section.toLowerCase(Locale.ROOT)).append(".batch ").append(Math.max(1, batch / 2))
            .append(')');
      }
      m.append(" or ").append(raise);
    } else {
      m.append(" with a ").append(maxMiB).append(" MiB Java heap: ").append(raise);
    }
    return new OutOfResourcesException(m.toString(), e);
  }
}

package io.mrt.runtime.progress;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Progress of a long task (calibration batches, evaluation batches). On a terminal it redraws one
 * bar line in place; otherwise (CI, pipes, logs) it prints a plain line at every 10% step, so logs
 * stay short. Writes to standard error, never to standard output (which carries results).
 */
public final class Progress implements AutoCloseable {
  private final String label;
  private final long total;
  private final PrintStream out;
  private final boolean terminal;
  private final long startNanos = System.nanoTime();
  private long done;
  private int lastDecile = -1;

  /** A progress of {@code total} steps, shown on standard error. */
  public static Progress start(String label, long total) {
    return new Progress(label, total, System.err, System.console() != null);
  }

  /** A progress on the given stream; {@code terminal} chooses the redrawn bar over plain lines. */
  public Progress(String label, long total, PrintStream out, boolean terminal) {
    this.label = label;
    this.total = Math.max(total, 1);
    this.out = out;
    this.terminal = terminal;
    draw();
  }

  /** Advances by {@code steps}. */
  public void step(long steps) {
    done = Math.min(total, done + steps);
    draw();
  }

  /** Advances by one step. */
  public void step() {
    step(1);
  }

  private void draw() {
    int percent = (int) (done * 100 / total);
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    if (terminal) {
      int width = 30;
      int filled = (int) (done * width / total);
      out.printf(Locale.ROOT, "\r%s [%s%s] %d/%d %3d%% %.1fs", label, "#".repeat(filled),
          " ".repeat(width - filled), done, total, percent, seconds);
      if (done == total) {
        out.println();
      }
      out.flush();
    } else {
      int decile = percent / 10;
      if (decile != lastDecile && (done == 0 || done == total || decile > lastDecile)) {
        lastDecile = decile;
        out.printf(Locale.ROOT, "%s: %d/%d (%d%%) %.1fs%n", label, done, total, percent, seconds);
      }
    }
  }

  @Override
  public void close() {
    if (terminal && done < total) {
      out.println();
    }
  }
}

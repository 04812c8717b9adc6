package io.mrt.runtime.progress;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Progress of a long task (calibration batches, evaluation images). On a terminal it redraws one
 * bar line in place; otherwise (CI, pipes, logs) it prints a plain line at every 10% step, so logs
 * stay short. Both show the elapsed time, the rate in units per second and, once a step is done,
 * the estimated time left. Writes to standard error, never to standard output (which carries
 * results).
 */
public final class Progress implements AutoCloseable {
  private final String label;
  private final long total;
  private final String unit;
  private final PrintStream out;
  private final boolean terminal;
  private final LongSupplier nanos;
  private final long startNanos;
  private long done;
  private int lastDecile = -1;

  /** A progress of {@code total} steps, shown on standard error. */
  public static Progress start(String label, long total) {
    return start(label, total, "steps");
  }

  /** A progress of {@code total} {@code unit}s (e.g. images), shown on standard error. */
  public static Progress start(String label, long total, String unit) {
    return new Progress(label, total, unit, System.err, System.console() != null, System::nanoTime);
  }

  /** A progress on the given stream; {@code terminal} chooses the redrawn bar over plain lines. */
  public Progress(String label, long total, PrintStream out, boolean terminal) {
    this(label, total, "steps", out, terminal, System::nanoTime);
  }

  /**
   * A progress on the given stream and clock.
   *
   * @param unit what a step counts, for the rate ({@code images/s})
   * @param nanos the clock, in nanoseconds
   */
  public Progress(String label, long total, String unit, PrintStream out, boolean terminal, LongSupplier nanos) {
    this.label = label;
    this.total = Math.max(total, 1);
    this.unit = unit;
    this.out = out;
    this.terminal = terminal;
    this.nanos = nanos;
    this.startNanos = nanos.getAsLong();
    draw();
  }

  /** Advances by {@code steps}. */
  public synchronized void step(long steps) {
    done = Math.min(total, done + steps);
    draw();
  }

  /** Advances by one step. */
  public void step() {
    step(1);
  }

  /**
   * {@code 12.3 images/s, ETA 1m05s} ({@code 0.027 batches/s} below one per second; no ETA before
   * the first step nor after the last).
   */
  private String rate(double seconds) {
    if (done == 0 || seconds <= 0) {
      return "";
    }
    double rate = done / seconds;
    String s = String.format(Locale.ROOT, rate < 1 ? " %.3f %s/s" : " %.1f %s/s", rate, unit);
    if (done < total) {
      s += ", ETA " + duration((total - done) / rate);
    }
    return s;
  }

  /** {@code 42s}, {@code 3m07s} or {@code 1h02m}. */
  static String duration(double seconds) {
    long s = (long) Math.ceil(seconds);
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
    return String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60);
  }

  private void draw() {
    int percent = (int) (done * 100 / total);
    double seconds = (nanos.getAsLong() - startNanos) / 1e9;
    if (terminal) {
      int width = 30;
      int filled = (int) (done * width / total);
      // trailing blanks clear what a longer previous line left
      out.printf(Locale.ROOT, "\r%s [%s%s] %d/%d %3d%% %.1fs%s   ", label, "#".repeat(filled),
          " ".repeat(width - filled), done, total, percent, seconds, rate(seconds));
      if (done == total) {
        out.println();
      }
      out.flush();
    } else {
      int decile = percent / 10;
      if (decile != lastDecile && (done == 0 || done == total || decile > lastDecile)) {
        lastDecile = decile;
        out.printf(Locale.ROOT, "%s: %d/%d (%d%%) %.1fs%s%n", label, done, total, percent, seconds, rate(seconds));
      }
    }
  }

  @Override
  public synchronized void close() {
    if (terminal && done < total) {
      out.println();
    }
  }
}

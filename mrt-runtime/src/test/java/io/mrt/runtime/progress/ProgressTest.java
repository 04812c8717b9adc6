package io.mrt.runtime.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The progress line shows the rate and the time left, on a terminal and in plain logs. */
class ProgressTest {
  /** A clock the test moves: 0 s at the start, then what {@code now} holds. */
  private final long[] now = {0};

  private Progress progress(ByteArrayOutputStream bytes, boolean terminal) {
    return new Progress("evaluate m", 1000, "images", new PrintStream(bytes, true, StandardCharsets.UTF_8), terminal,
        () -> now[0]);
  }

  @Test
  void plainLinesShowImagesPerSecondAndTheTimeLeftAtEveryTenPercent() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (Progress p = progress(bytes, false)) {
      now[0] = 2_000_000_000L; // 100 images in 2 s: 50 images/s, 900 left: 18 s
      p.step(100);
      now[0] = 2_500_000_000L; // 150 images: still 10%, no line
      p.step(50);
      now[0] = 100_000_000_000L; // 1000 images in 100 s: 10 images/s, nothing left
      p.step(850);
    }
    assertEquals("evaluate m: 0/1000 (0%) 0.0s\n"
        + "evaluate m: 100/1000 (10%) 2.0s 50.0 images/s, ETA 18s\n"
        + "evaluate m: 1000/1000 (100%) 100.0s 10.0 images/s\n", bytes.toString(StandardCharsets.UTF_8));
  }

  @Test
  void theTerminalBarIsRedrawnInPlaceWithRateAndEta() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (Progress p = progress(bytes, true)) {
      now[0] = 4_000_000_000L; // 20 images in 4 s: 5 images/s, 980 left: 196 s
      p.step(20);
    }
    String[] draws = bytes.toString(StandardCharsets.UTF_8).split("\r");
    assertEquals("evaluate m [" + " ".repeat(30) + "] 20/1000   2% 4.0s 5.0 images/s, ETA 3m16s   \n", draws[2]);
  }

  @Test
  void slowRatesKeepThreeDecimals() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (Progress p = new Progress("calibrate", 4, "batches", new PrintStream(bytes, true, StandardCharsets.UTF_8),
        false, () -> now[0])) {
      now[0] = 40_000_000_000L; // 1 batch in 40 s: 0.025 batches/s, 3 left: 120 s
      p.step();
    }
    assertEquals("calibrate: 0/4 (0%) 0.0s\ncalibrate: 1/4 (25%) 40.0s 0.025 batches/s, ETA 2m00s\n",
        bytes.toString(StandardCharsets.UTF_8));
  }

  @Test
  void durationsReadAsSecondsMinutesOrHours() {
    assertEquals("42s", Progress.duration(41.2));
    assertEquals("3m07s", Progress.duration(187));
    assertEquals("1h02m", Progress.duration(3725));
  }
}

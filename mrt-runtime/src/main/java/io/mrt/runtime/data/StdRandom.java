package io.mrt.runtime.data;

import java.util.SplittableRandom;

/**
 * MRT's {@code stdrandom} data set: random calibration images without meaning, uniform pixels from a
 * fixed seed (with the data set's normalisation, values uniform in [-1, 1]). Its labels are all 0,
 * so accuracy on it means nothing; it serves calibration of models whose data is not at hand.
 */
final class StdRandom {
  /** The seed of the pixels. */
  static final long SEED = 0x5eed;
  /** At most this many pixel bytes are made. */
  static final long MAX_BYTES = 64L << 20;

  private StdRandom() {}

  static ImageSet images(long[] s, boolean channelsLast) {
    if (s.length != 4) {
      throw new io.mrt.runtime.MrtException("dataset stdrandom: needs a rank-4 input shape, found rank " + s.length);
    }
    boolean nchw = !channelsLast;
    int c = (int) (nchw ? s[1] : s[3]);
    int h = (int) (nchw ? s[2] : s[1]);
    int w = (int) (nchw ? s[3] : s[2]);
    long sample = (long) c * h * w;
    int count = (int) Math.max(1, Math.min(1024, MAX_BYTES / sample));
    byte[] pixels = new byte[Math.toIntExact(count * sample)];
    SplittableRandom r = new SplittableRandom(SEED);
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (byte) r.nextInt(256);
    }
    return new ImageSet("stdrandom", c, h, w, pixels, new int[count], java.util.List.of());
  }
}

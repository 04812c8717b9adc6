package io.mrt.runtime.testutil;

/** Puts a system property back as a test found it. */
public final class SystemProperties {
  private SystemProperties() {
  }

  /** Sets {@code key} to {@code value}, or clears it when {@code value} is null (it was not set). */
  public static void restore(String key, String value) {
    if (value == null) {
      System.clearProperty(key);
    } else {
      System.setProperty(key, value);
    }
  }
}

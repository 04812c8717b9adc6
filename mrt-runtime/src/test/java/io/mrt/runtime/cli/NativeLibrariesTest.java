package io.mrt.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mrt.runtime.testutil.SystemProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code mrt} turns JavaCPP's per-allocation resident-memory check off, unless the user set it. */
class NativeLibrariesTest {
  private String saved;

  @BeforeEach
  void save() {
    saved = System.getProperty(Main.JAVACPP_MAX_PHYSICAL_BYTES);
  }

  @AfterEach
  void restore() {
    SystemProperties.restore(Main.JAVACPP_MAX_PHYSICAL_BYTES, saved);
  }

  @Test
  void theResidentMemoryCheckIsOffByDefault() {
    System.clearProperty(Main.JAVACPP_MAX_PHYSICAL_BYTES);
    Main.configureNativeLibraries();
    assertEquals("0", System.getProperty("org.bytedeco.javacpp.maxPhysicalBytes"));
  }

  @Test
  void aLimitTheUserSetIsKept() {
    System.setProperty(Main.JAVACPP_MAX_PHYSICAL_BYTES, "8g");
    Main.configureNativeLibraries();
    assertEquals("8g", System.getProperty("org.bytedeco.javacpp.maxPhysicalBytes"));
  }
}

package io.mrt.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A config in the shape of MRT's model zoo (gpu devices, imagenet, no MODEL_DIR or DATASET_DIR)
 * runs until the model file, which is missing: exit 2 and one error naming the path looked at.
 */
class MrtShapedRunTest {
  @TempDir Path dir;

  @Test
  void anMrtImagenetConfigStopsAtTheMissingModelNamingItsPath() throws Exception {
    Path cfg = dir.resolve("mobilenetv2_1.0.yaml");
    Files.writeString(cfg, """
        COMMON:
          MODEL_NAME: mobilenetv2_1.0
        CALIBRATE:
          NUM_CALIB: 1
          DATASET_NAME: imagenet
          LAMBD: 10
          DEVICE_TYPE: gpu
          DEVICE_IDS: [0]
        QUANTIZE:
          INPUT_PRECISION: 8
          OUTPUT_PRECISION: 8
          DEVICE_TYPE: gpu
          DEVICE_IDS: [0]
        EVALUATE:
          BATCH: 160
          DEVICE_TYPE: gpu
          DEVICE_IDS: [0]
          ITER_NUM: 500
        """);
    String home = System.getProperty("user.home");
    Path fakeHome = Files.createDirectories(dir.resolve("home"));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code;
    try {
      System.setProperty("user.home", fakeHome.toString());
      code = Main.run(new String[] {"run", cfg.toString()}, new PrintWriter(out), new PrintWriter(err));
    } finally {
      System.setProperty("user.home", home);
    }
    assertEquals(2, code);
    assertEquals("error: model mobilenetv2_1.0: no symbol file in " + fakeHome.resolve("mrt_model")
        + " (expected mobilenetv2_1.0-symbol.json or mobilenetv2_1.0.json)\n", err.toString());
    assertEquals("== prepare mobilenetv2_1.0\n", out.toString());
    assertFalse(Files.exists(fakeHome.resolve("mrt_model")), "nothing is written");
  }
}

package io.mrt.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.mrt.runtime.testutil.SharedDir;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The four configs of MRT V3 kept in the shared data folder (mrt-configs/), read unchanged, run
 * until their model file, which is missing: exit 2 and one error naming the file and the folder.
 */
@Tag("full")
class SharedMrtConfigsRunTest {
  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"cifar_resnet20_v1", "mobilenetv2_1.0", "trec", "yolo3_darknet53_voc"})
  void mrtsOwnConfigRunsUnchangedUntilItsMissingModelFile(String model) throws Exception {
    Path cfg = SharedDir.get().resolve("mrt-configs").resolve(model + ".yaml");
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
    assertEquals("error: model " + model + ": no symbol file in " + fakeHome.resolve("mrt_model")
        + " (expected " + model + "-symbol.json or " + model + ".json)\n", err.toString());
    assertEquals("== prepare " + model + "\n", out.toString());
    assertFalse(Files.exists(fakeHome.resolve("mrt_model")), "nothing is written");
  }
}

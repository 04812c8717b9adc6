package io.mrt.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code mrt run} and the one-stage commands on the real lenet model of the test data (test-fixtures/models). */
class RunCommandTest {
  @TempDir Path out;

  private record Run(int code, String out, String err) {}

  private static Run mrt(String... args) {
    StringWriter o = new StringWriter();
    StringWriter e = new StringWriter();
    int code = Main.run(args, new PrintWriter(o), new PrintWriter(e));
    return new Run(code, o.toString(), e.toString());
  }

  private Path config() throws IOException {
    Path shared = io.mrt.runtime.testutil.SharedDir.get().toAbsolutePath().normalize();
    Path cfg = out.resolve("lenet.yaml");
    Files.writeString(cfg, """
        COMMON:
          MODEL_DIR: %s/models/mnist-lenet-fcrc
          MODEL_NAME: lenet
          OUTPUT_DIR: %s
        PREPARE:
          INPUT_SHAPE: [-1, 1, 28, 28]
        CALIBRATE:
          BATCH: 16
          NUM_CALIB: 1
          DATASET_NAME: mnist
          DATASET_DIR: %s/data/mnist
        """.formatted(shared, out.resolve("work"), shared));
    return cfg;
  }

  @Test
  void missingConfigIsExitCode2WithTheFileName() {
    Run r = mrt("run", out.resolve("absent.yaml").toString());
    assertEquals(2, r.code());
    assertEquals("error: " + out.resolve("absent.yaml") + ": config file not found\n", r.err());
  }

  @Test
  void misspeltOverrideIsExitCode2WithASuggestion() throws IOException {
    Run r = mrt("run", config().toString(), "--calibrate.num_callib", "3");
    assertEquals(2, r.code());
    assertEquals("error: command line: unknown key CALIBRATE.num_callib; did you mean CALIBRATE.NUM_CALIB?\n", r.err());
  }

  @Test
  void aStageWhoseInputIsMissingNamesTheStageToRunFirst() throws IOException {
    Run r = mrt("quantize", config().toString());
    assertEquals(2, r.code());
    assertEquals("error: " + out.resolve("work/lenet.mrt.calibrate.json") + ": not found; run the calibrate stage "
        + "first (or lower COMMON.START_AFTER)\n", r.err());
  }

  @ParameterizedTest
  @CsvSource({
      "calibrate, lenet.prepare.json,        prepare",
      "quantize,  lenet.mrt.calibrate.json,  calibrate",
      "evaluate,  lenet.all.quantize.ext,    quantize",
      "compile,   lenet.all.quantize.ext,    quantize",
      "report,    lenet.mrt.calibrate.ext,   calibrate"})
  void everyStageAfterPrepareNamesTheFileItLacksAndTheStageThatWritesIt(String command, String file, String stage)
      throws IOException {
    Run r = mrt(command, config().toString());
    assertEquals(2, r.code());
    assertEquals("error: " + out.resolve("work").resolve(file) + ": not found; run the " + stage + " stage "
        + "first (or lower COMMON.START_AFTER)\n", r.err());
    String[] written = out.resolve("work").toFile().list();
    assertTrue(written == null || written.length == 0, "nothing written");
  }

  @Test
  void startAfterResumesFromTheSavedFilesOfEarlierStages() throws IOException {
    Path cfg = config();
    assertEquals(0, mrt("prepare", cfg.toString()).code());
    assertEquals(0, mrt("calibrate", cfg.toString()).code());
    assertTrue(Files.exists(out.resolve("work/lenet.mrt.calibrate.ext")));
    assertFalse(Files.exists(out.resolve("work/lenet.mrt.quantize.json")));

    Run r = mrt("run", cfg.toString(), "--common.start_after", "calibrate", "--common.run_evaluate", "false",
        "--common.run_compile", "false");
    assertEquals(0, r.code(), r.err());
    assertEquals("== quantize lenet\n", r.out(), "only the stages after START_AFTER run");
    assertTrue(Files.exists(out.resolve("work/lenet.mrt.quantize.json")));
    assertTrue(Files.exists(out.resolve("work/lenet.all.quantize.ext")));
  }
}

package io.mrt.runtime.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mrt.runtime.MrtException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir Path dir;

  private Path yaml(String text) throws IOException {
    Path f = dir.resolve("model.yaml");
    Files.writeString(f, text);
    return f;
  }

  @Test
  void readsTheMrtV3SectionsAndFillsDefaults() throws IOException {
    Path f = yaml("""
        COMMON:
          MODEL_NAME: cifar_resnet20_v1
          BATCH: 8
        PREPARE:
          INPUT_SHAPE: [-1, 3, 32, 32]
        CALIBRATE:
          NUM_CALIB: 2
          LAMBD: 16
          DATASET_NAME: cifar10
        QUANTIZE:
          INPUT_PRECISION: 8
          OUTPUT_PRECISION: 8
          THRESHOLDS: [["data", 2.5]]
        EVALUATE:
          BATCH: 160
          ITER_NUM: 500
        """);
    MrtConfig c = ConfigLoader.load(f, List.of());
    assertEquals("cifar_resnet20_v1", c.modelName());
    assertEquals(List.of(-1, 3, 32, 32), c.ints("PREPARE.INPUT_SHAPE"));
    assertEquals(8, c.batch("CALIBRATE"), "CALIBRATE.BATCH inherits COMMON.BATCH");
    assertEquals(160, c.batch("EVALUATE"));
    assertEquals(16.0, c.nullableDouble("CALIBRATE.LAMBD"));
    assertEquals(8, c.nullableInt("QUANTIZE.OUTPUT_PRECISION"));
    assertNull(c.nullableInt("QUANTIZE.SHIFT_BITS"));
    assertEquals(List.of(List.of("data", 2.5)), c.list("QUANTIZE.THRESHOLDS"));
    assertEquals("all", c.passName());
    assertEquals("initial", c.startAfter());
    assertEquals(1, c.integer("COMPILE.BATCH"));
    assertEquals(Path.of(System.getProperty("user.home"), "mrt_model"), c.modelDir(), "MODEL_DIR defaults to MRT's ~/mrt_model");
  }

  @Test
  void unknownKeyIsAnErrorThatSuggestsTheClosestKey() throws IOException {
    Path f = yaml("""
        CALIBRATE:
          NUM_CALLIB: 2
        """);
    MrtException e = assertThrows(MrtException.class, () -> ConfigLoader.load(f, List.of()));
    assertEquals(f.toAbsolutePath() + ": unknown key CALIBRATE.NUM_CALLIB; did you mean CALIBRATE.NUM_CALIB?",
        e.getMessage());
  }

  @Test
  void unknownSectionIsAnErrorThatSuggestsTheClosestSection() throws IOException {
    Path f = yaml("QUANTISE:\n  SHIFT_BITS: 5\n");
    MrtException e = assertThrows(MrtException.class, () -> ConfigLoader.load(f, List.of()));
    assertEquals(f.toAbsolutePath() + ": unknown section 'QUANTISE'; did you mean QUANTIZE? "
        + "Valid sections: COMMON, PREPARE, CALIBRATE, QUANTIZE, EVALUATE, COMPILE", e.getMessage());
  }

  @Test
  void wrongValueTypeNamesKeyExpectedAndFound() throws IOException {
    Path f = yaml("COMMON:\n  BATCH: sixteen\n");
    MrtException e = assertThrows(MrtException.class, () -> ConfigLoader.load(f, List.of()));
    assertEquals(f.toAbsolutePath() + ": COMMON.BATCH: expected an integer, found the string sixteen", e.getMessage());
  }

  @Test
  void inputShapeNeedsExactlyOneBatchAxis() throws IOException {
    Path f = yaml("PREPARE:\n  INPUT_SHAPE: [1, 1, 28, 28]\n");
    MrtException e = assertThrows(MrtException.class, () -> ConfigLoader.load(f, List.of()));
    assertEquals(f.toAbsolutePath() + ": PREPARE.INPUT_SHAPE: expected positive dimensions and exactly one -1 "
        + "(the batch axis), found [1, 1, 28, 28]", e.getMessage());
  }

  @Test
  void commandLineOverridesReplaceFileValues() throws IOException {
    Path f = yaml("COMMON:\n  MODEL_NAME: a\n  BATCH: 8\nEVALUATE:\n  ITER_NUM: 10\n");
    MrtConfig c = ConfigLoader.load(f, List.of("--common.batch", "32", "--evaluate.iter_num=3",
        "--prepare.input_shape", "[-1,1,28,28]", "--common.model_name", "b"));
    assertEquals(32, c.integer("COMMON.BATCH"));
    assertEquals(3, c.integer("EVALUATE.ITER_NUM"));
    assertEquals(List.of(-1, 1, 28, 28), c.ints("PREPARE.INPUT_SHAPE"));
    assertEquals("b", c.modelName());
  }

  @Test
  void unknownOverrideKeyIsAnErrorThatSuggestsTheClosestKey() throws IOException {
    Path f = yaml("COMMON:\n  MODEL_NAME: a\n");
    MrtException e = assertThrows(MrtException.class,
        () -> ConfigLoader.load(f, List.of("--quantize.shift_bit", "4")));
    assertEquals("command line: unknown key QUANTIZE.shift_bit; did you mean QUANTIZE.SHIFT_BITS?", e.getMessage());
  }

  @Test
  void pythonNoneMeansNull() throws IOException {
    Path f = yaml("QUANTIZE:\n  OUTPUT_PRECISION: None\n  SOFTMAX_LAMBD: null\n");
    MrtConfig c = ConfigLoader.load(f, List.of());
    assertNull(c.nullableInt("QUANTIZE.OUTPUT_PRECISION"));
    assertNull(c.nullableDouble("QUANTIZE.SOFTMAX_LAMBD"));
  }

  @Test
  void passNameMustBeAStage() throws IOException {
    Path f = yaml("COMMON:\n  PASS_NAME: quantise\n");
    MrtException e = assertThrows(MrtException.class, () -> ConfigLoader.load(f, List.of()));
    assertEquals(f.toAbsolutePath() + ": COMMON.PASS_NAME: expected one of all, prepare, calibrate, quantize, "
        + "evaluate, compile, found 'quantise'", e.getMessage());
  }

  @Test
  void missingFileIsAnError() {
    Path f = dir.resolve("absent.yaml");
    MrtException e = assertThrows(MrtException.class, () -> ConfigLoader.load(f, List.of()));
    assertEquals(f + ": config file not found", e.getMessage());
  }

  @Test
  void keyNamesAreCaseInsensitiveAsInMrt() throws IOException {
    Path f = yaml("common:\n  model_name: m\n  run_compile: false\n");
    MrtConfig c = ConfigLoader.load(f, List.of());
    assertEquals("m", c.modelName());
    assertEquals(false, c.bool("COMMON.RUN_COMPILE"));
  }
}

package io.mrt.runtime.stage.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mrt.runtime.MrtException;
import io.mrt.runtime.config.ConfigLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pipeline's table of stages, and the stage names a config may give. */
class PipelineStepsTest {
  @TempDir
  Path dir;

  @Test
  void theStagesRunInMrtsOrderAndOnlyEvaluateAndCompileCanBeTurnedOffUnderPassNameAll() {
    assertEquals(List.of("prepare", "calibrate", "quantize", "evaluate", "compile"), Pipeline.STAGES);
    assertEquals(Arrays.asList(null, null, null, "COMMON.RUN_EVALUATE", "COMMON.RUN_COMPILE"),
        Pipeline.STEPS.stream().map(Pipeline.Step::runKey).toList());
  }

  @Test
  void calibrateEvaluateAndCompileReadTheDataSetEachInBatchesOfItsOwnSection() {
    assertEquals(List.of(false, true, false, true, true),
        Pipeline.STEPS.stream().map(Pipeline.Step::readsDataset).toList());
    assertEquals(Arrays.asList(null, "CALIBRATE", null, "EVALUATE", "COMPILE"),
        Pipeline.STEPS.stream().map(Pipeline.Step::batchSection).toList());
  }

  @Test
  void passNameAcceptsAllAndThePipelinesStagesAndStartAfterTheStagesWhoseFilesALaterRunReads() throws IOException {
    Path yaml = Files.writeString(dir.resolve("m.yaml"), "COMMON:\n  MODEL_NAME: m\n");
    MrtException pass = assertThrows(MrtException.class,
        () -> ConfigLoader.load(yaml, List.of("--common.pass_name", "report")));
    assertEquals(yaml + ": COMMON.PASS_NAME: expected one of all, " + String.join(", ", Pipeline.STAGES)
        + ", found 'report'", pass.getMessage());
    MrtException resume = assertThrows(MrtException.class,
        () -> ConfigLoader.load(yaml, List.of("--common.start_after", "evaluate")));
    assertEquals(yaml + ": COMMON.START_AFTER: expected one of initial, "
        + String.join(", ", Pipeline.STAGES.subList(0, 3)) + ", found 'evaluate'", resume.getMessage());
  }
}

package io.mrt.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stage that runs out of memory ends in one line naming the stage, the batch size and what to
 * change, with exit code 1 and no stack trace: {@code mrt demo} in a JVM of 256 MiB with
 * CALIBRATE.BATCH 10000 (the whole MNIST test set in one calibration batch).
 */
class OutOfMemoryTest {
  @TempDir Path out;

  @Test
  void calibrateOutOfMemoryNamesTheStageTheBatchAndWhatToChange() throws Exception {
    Path root = Path.of("").toAbsolutePath();
    while (!Files.exists(root.resolve(DemoCommand.CONFIG))) {
      root = root.getParent();
    }
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p = new ProcessBuilder(java.toString(), "-Xmx256m", "-Dmrt.home=" + root,
        "-Dorg.nd4j.log.initialization=false", "-cp", System.getProperty("java.class.path"),
        Main.class.getName(), "demo", "--calibrate.batch", "10000", "--common.output_dir", out.toString(),
        "--compile.dump_dir", out.toString())
        .redirectOutput(out.resolve("stdout.txt").toFile())
        .redirectError(out.resolve("stderr.txt").toFile())
        .start();
    assertTrue(p.waitFor(10, TimeUnit.MINUTES), "the forked mrt demo did not end");
    String err = Files.readString(out.resolve("stderr.txt"), StandardCharsets.UTF_8);
    assertEquals(1, p.exitValue(), err);
    List<String> errors = err.lines().filter(l -> l.startsWith("error:")).toList();
    assertEquals(1, errors.size(), err);
    // the JVM's own words in parentheses: "Java heap space", or JavaCPP's for native memory
    assertTrue(errors.get(0).matches("error: calibrate ran out of memory (\\(.*\\) )?at CALIBRATE\\.BATCH 10000 "
        + "with a 256 MiB Java heap: lower CALIBRATE\\.BATCH \\(e\\.g\\. --calibrate\\.batch 5000\\) or raise the heap "
        + "\\(e\\.g\\. MRT_JAVA_OPTS=-Xmx2g\\)"), errors.get(0));
    assertFalse(err.contains("\tat "), "no stack trace without --verbose: " + err);
    assertFalse(err.contains("OutOfMemoryError"), err);
    assertEquals("== prepare dapp\n== calibrate dapp\n", Files.readString(out.resolve("stdout.txt")));
    // nothing of the calibrate stage was written
    try (var files = Files.list(out)) {
      assertEquals(List.of(), files.map(f -> f.getFileName().toString()).filter(n -> n.contains("calibrate")).toList());
    }
  }
}

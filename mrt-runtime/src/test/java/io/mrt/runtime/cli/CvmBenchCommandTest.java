package io.mrt.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mrt.runtime.io.cvm.CvmGraphBuilder;
import io.mrt.runtime.io.cvm.CvmModel;
import io.mrt.runtime.io.cvm.CvmModelWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mrt cvm-bench}: what it reports for a small conv2d + dense model, re-batching, and refusals. */
class CvmBenchCommandTest {
  private record Run(int code, String out, String err) {
  }

  private static Run mrt(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out), new PrintWriter(err));
    return new Run(code, out.toString(), err.toString());
  }

  /** data[2,3,8,8] -> conv2d 4x3x3x3 (pad 1) -> cvm_right_shift -> flatten -> dense 256 -> 10. */
  private static Path model(Path tmp) {
    Random r = new Random(5);
    CvmGraphBuilder b = new CvmGraphBuilder();
    int x = b.input("data", new long[] {2, 3, 8, 8}, 8);
    int w = b.param("w", new long[] {4, 3, 3, 3}, 8, r.ints(108, -127, 128).toArray());
    int y = b.op("conv2d", Map.of("channels", "4", "kernel_size", "(3, 3)", "padding", "(1, 1)", "use_bias", "False"),
        new long[] {2, 4, 8, 8}, x, w);
    y = b.op("cvm_right_shift", Map.of("precision", "8", "shift_bit", "8"), new long[] {2, 4, 8, 8}, y);
    y = b.op("flatten", Map.of(), new long[] {2, 256}, y);
    int fw = b.param("fw", new long[] {10, 256}, 8, r.ints(2560, -127, 128).toArray());
    y = b.op("dense", Map.of("units", "10", "use_bias", "False"), new long[] {2, 10}, y, fw);
    CvmModel m = b.head(y).build();
    Path dir = tmp.resolve("m_cvm");
    CvmModelWriter.write(dir, m, null, null);
    return dir;
  }

  @Test
  void reportsLoadLatencyThroughputMacsAndMemory(@TempDir Path tmp) {
    Path dir = model(tmp);
    Run r = mrt("cvm-bench", "--model", dir.toString(), "--threads", "1", "--warmup", "1", "--runs", "3");
    assertEquals(0, r.code(), r.err());
    // conv2d: 2*4*8*8 outputs x 27 taps = 13824; dense: 2*10 outputs x 256 = 5120 -> 18944 per batch of 2
    assertTrue(r.out().contains("MACs: 0.01 M/image\n"), r.out());
    assertTrue(r.out().contains("batch: 2, input [2, 3, 8, 8]\n"), r.out());
    assertTrue(r.out().contains("operator nodes, 3 steps after fusion)"), r.out());
    assertTrue(r.out().contains("memory: buffers "), r.out());
    // the conv2d keeps its input as float planes: 3 channels of (1 + 2 * 9) * 9 + 1 floats, about 2 KiB
    assertTrue(r.out().contains("/image), kernel scratch 0.00 MiB, params "), r.out());
    assertTrue(r.out().matches("(?s).*latency \\(3 runs after 1 warm-up\\): median [0-9.]+ ms, p90 [0-9.]+ ms\n.*"),
        r.out());
    assertTrue(r.out().matches("(?s).*throughput: [0-9.]+ images/s, [0-9.]+ GMAC/s\n.*"), r.out());
  }

  @Test
  void batchReinfersTheShapesForAnotherBatchSize(@TempDir Path tmp) {
    Run r = mrt("cvm-bench", "--model", model(tmp).toString(), "--batch", "5", "--threads", "2", "--warmup", "0",
        "--runs", "1", "--kernel", "naive");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("batch: 5, input [5, 3, 8, 8]\n"), r.out());
    assertTrue(r.out().contains("kernel: naive, threads: 2\n"), r.out());
  }

  @Test
  void anUnknownKernelIsRefusedWithExit2(@TempDir Path tmp) {
    Run r = mrt("cvm-bench", "--model", model(tmp).toString(), "--kernel", "fast");
    assertEquals(2, r.code());
    assertEquals("error: --kernel: expected packed, packed-scalar, blocked or naive, found fast\n", r.err());
  }

  @Test
  void aBatchTheGraphCannotTakeIsRefusedNamingTheNode(@TempDir Path tmp) {
    Run r = mrt("cvm-bench", "--model", model(tmp).toString(), "--batch", "0");
    assertEquals(2, r.code());
    assertTrue(r.err().startsWith("error: ") && r.err().contains("batch must be >= 1, found 0"), r.err());
  }
}

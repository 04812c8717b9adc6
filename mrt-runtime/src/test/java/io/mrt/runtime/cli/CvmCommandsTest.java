package io.mrt.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mrt.runtime.io.cvm.CvmModelWriter;
import io.mrt.runtime.io.npy.NpyArray;
import io.mrt.runtime.io.npy.NpyDtype;
import io.mrt.runtime.io.npy.NpyReader;
import io.mrt.runtime.io.npy.NpyWriter;
import io.mrt.runtime.testutil.CvmExamples;
import io.mrt.runtime.testutil.SharedDir;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CvmCommandsTest {
  private static final Path CASES = SharedDir.get().resolve("cvm-conformance");

  private record Run(int code, String out, String err) {
  }

  private static Run mrt(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out), new PrintWriter(err));
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void cvmRunWritesTheHeadOfTheMinimalExampleAsInt8(@TempDir Path tmp) {
    Path model = tmp.resolve("example_cvm");
    CvmModelWriter.write(model, CvmExamples.example(), null, null);
    NpyWriter.write(tmp.resolve("x.npy"), NpyArray.ofInt8(new long[] {2, 4}, new int[] {1, 2, 3, 4, 5, 6, 7, 8}));
    Run r = mrt("cvm-run", "--model", model.toString(), "--input", tmp.resolve("x.npy").toString(), "--output",
        tmp.resolve("y.npy").toString(), "--threads", "1");
    assertEquals(0, r.code(), r.err());
    assertEquals("wrote " + tmp.resolve("y.npy") + ": int8 [2, 3]\n", r.out());
    NpyArray y = NpyReader.read(tmp.resolve("y.npy"));
    assertEquals(NpyDtype.INT8, y.dtype());
    assertArrayEquals(new int[] {10, -10, -95, 20, -20, -95}, y.toIntArray());
  }

  @Test
  void cvmRunWritesOneFilePerHeadOrTheInterleavedLayout(@TempDir Path tmp) {
    Path c = CASES.resolve("two_heads-00");
    Run r = mrt("cvm-run", "--model", c.toString(), "--input", c.resolve("input.npy").toString(), "--output",
        tmp.resolve("y.npy").toString());
    assertEquals(0, r.code(), r.err());
    for (int k = 0; k < 2; k++) {
      NpyArray got = NpyReader.read(tmp.resolve("y_" + k + ".npy"));
      NpyArray want = NpyReader.read(c.resolve("output_" + k + ".npy"));
      assertArrayEquals(want.shape(), got.shape());
      assertArrayEquals(want.toIntArray(), got.toIntArray());
    }
    Run i = mrt("cvm-run", "--model", c.toString(), "--input", c.resolve("input.npy").toString(), "--output",
        tmp.resolve("z.npy").toString(), "--interleaved");
    assertEquals(0, i.code(), i.err());
    int[] a = NpyReader.read(c.resolve("output_0.npy")).toIntArray();
    int[] b = NpyReader.read(c.resolve("output_1.npy")).toIntArray();
    int[] z = NpyReader.read(tmp.resolve("z.npy")).toIntArray();
    assertEquals(28, z.length);
    for (int row = 0; row < 4; row++) {
      for (int j = 0; j < 6; j++) {
        assertEquals(a[row * 6 + j], z[row * 7 + j]);
      }
      assertEquals(b[row], z[row * 7 + 6]);
    }
  }

  @Test
  void cvmRunRefusesABadModelWithExitCode2AndTheNodeName(@TempDir Path tmp) {
    Path c = CASES.resolve("reject-param-out-of-range-23");
    Run r = mrt("cvm-run", "--model", c.toString(), "--input", "in.npy", "--output", tmp.resolve("y.npy").toString());
    assertEquals(2, r.code());
    assertEquals("error: " + c + ": node 1 'dense0_weight' (variable): parameter 'dense0_weight' value -128 at index 0 "
        + "exceeds precision 8 (|v| <= 127)\n", r.err());
    assertFalse(Files.exists(tmp.resolve("y.npy")));
  }

  @Test
  void cvmRunRefusesAFloatOrMisshapedInputNamingTheFile(@TempDir Path tmp) {
    Path model = tmp.resolve("m");
    CvmModelWriter.write(model, CvmExamples.example(), null, null);
    NpyWriter.write(tmp.resolve("f.npy"), NpyArray.ofFloat32(new long[] {2, 4}, new float[8]));
    Run f = mrt("cvm-run", "--model", model.toString(), "--input", tmp.resolve("f.npy").toString(), "--output",
        tmp.resolve("y.npy").toString());
    assertEquals(2, f.code());
    assertEquals("error: " + tmp.resolve("f.npy") + ": expected an integer .npy (int8 or int32) for input data, "
        + "found FLOAT32\n", f.err());
    NpyWriter.write(tmp.resolve("s.npy"), NpyArray.ofInt32(new long[] {8}, new int[8]));
    Run s = mrt("cvm-run", "--model", model.toString(), "--input", tmp.resolve("s.npy").toString(), "--output",
        tmp.resolve("y.npy").toString());
    assertEquals(2, s.code());
    assertEquals("error: " + tmp.resolve("s.npy") + ": expected the shape of input data [2, 4], found [8]\n", s.err());
    assertFalse(Files.exists(tmp.resolve("y.npy")));
  }

  private static void copyCase(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    try (Stream<Path> s = Files.list(from)) {
      for (Path f : s.toList()) {
        Files.copy(f, to.resolve(f.getFileName()));
      }
    }
  }

  @Test
  void cvmCheckCountsPassedAndFailedCasesAndNamesTheFailures(@TempDir Path tmp) throws IOException {
    copyCase(CASES.resolve("dense-00"), tmp.resolve("dense-00"));
    copyCase(CASES.resolve("reject-param-shape-24"), tmp.resolve("reject-param-shape-24"));
    copyCase(CASES.resolve("relu-00"), tmp.resolve("relu-00-broken"));
    NpyArray want = NpyReader.read(tmp.resolve("relu-00-broken/output_0.npy"));
    int[] v = want.toIntArray();
    v[0] += 1;
    NpyWriter.write(tmp.resolve("relu-00-broken/output_0.npy"), NpyArray.ofInt32(want.shape(), v));
    Run r = mrt("cvm-check", tmp.toString());
    assertEquals(1, r.code(), r.err());
    List<String> lines = r.out().lines().toList();
    assertEquals("2 passed, 1 failed", lines.get(0));
    assertTrue(lines.get(1).startsWith("  FAILED relu-00-broken: head 0: value at flat index 0 is "), lines.get(1));
    assertEquals(2, lines.size());
  }

  @Test
  void cvmCheckPassesTheWholeSharedSuite() {
    Run r = mrt("cvm-check", CASES.toString(), "--threads", "2");
    assertEquals(0, r.code(), r.out() + r.err());
    assertEquals("394 passed, 0 failed\n", r.out());
  }

  @Test
  void cvmCheckOfAFolderWithoutCasesExitsWith2(@TempDir Path tmp) {
    Run r = mrt("cvm-check", tmp.toString());
    assertEquals(2, r.code());
    assertEquals("error: " + tmp + ": expected case folders (each with case.json), found none\n", r.err());
  }
}

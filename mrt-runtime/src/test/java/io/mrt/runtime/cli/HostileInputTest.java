package io.mrt.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mrt.runtime.MrtException;
import io.mrt.runtime.io.mxnet.SymbolReader;
import io.mrt.runtime.io.npy.NpyReader;
import io.mrt.runtime.testutil.SharedDir;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile and broken inputs through the command line: each ends in exit code 2 and exactly one
 * line {@code error: <file or node>: <expected vs found>}, with no stack trace and no output file.
 */
class HostileInputTest {
  private static final Path SHARED = SharedDir.get();
  private static final Path ABS_CASE = SHARED.resolve("cvm-conformance/abs-00");
  private static final Path LENET = SHARED.resolve("models/mnist-lenet-fcrc");

  @TempDir Path tmp;

  private record Run(int code, String out, String err) {}

  private Run mrt(String... args) throws IOException {
    Files.createDirectories(tmp.resolve("no-plugins"));
    boolean cvm = args[0].startsWith("cvm-");
    String[] all = Arrays.copyOf(args, args.length + (cvm ? 0 : 2));
    if (!cvm) {
      all[args.length] = "--plugins";
      all[args.length + 1] = tmp.resolve("no-plugins").toString();
    }
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(all, new PrintWriter(out), new PrintWriter(err));
    return new Run(code, out.toString(), err.toString());
  }

  /** Exit code 2, nothing on stdout, exactly one error line; returns the message after "error: ". */
  private static String refused(Run r) {
    assertEquals(Main.BAD_INPUT, r.code(), r.err());
    assertEquals("", r.out());
    String[] lines = r.err().strip().split("\n");
    assertEquals(1, lines.length, r.err());
    assertTrue(lines[0].startsWith("error: "), r.err());
    assertFalse(r.err().contains("Exception"), r.err());
    return lines[0].substring("error: ".length());
  }

  private Path copyCase(Path src) throws IOException {
    Path dst = tmp.resolve(src.getFileName().toString());
    Files.createDirectories(dst);
    try (Stream<Path> s = Files.list(src)) {
      for (Path f : s.toList()) {
        Files.copy(f, dst.resolve(f.getFileName()));
      }
    }
    return dst;
  }

  private Path lenetWith(String from, String to) throws IOException {
    Path json = tmp.resolve("lenet-symbol.json");
    String text = Files.readString(LENET.resolve("lenet-symbol.json"));
    assertTrue(text.contains(from), from);
    Files.writeString(json, text.replaceFirst(java.util.regex.Pattern.quote(from),
        java.util.regex.Matcher.quoteReplacement(to)));
    Files.copy(LENET.resolve("lenet-0001.params"), tmp.resolve("lenet-0001.params"));
    return json;
  }

  @Test
  void cvmRunWithDevZeroAsInputIsRefusedBeforeReadingAndWritesNothing() throws IOException {
    Path y = tmp.resolve("y.npy");
    String msg = refused(mrt("cvm-run", "--model", ABS_CASE.toString(), "--input", "/dev/zero", "--output",
        y.toString()));
    assertEquals("/dev/zero: expected a regular .npy file, found a special file (device, pipe or socket)", msg);
    assertFalse(Files.exists(y));
  }

  @Test
  void cvmRunRefusesMoreThreadsThanItsLimitOf1024() throws IOException {
    assertEquals("--threads: expected a number from 1 to 1024, found 40000", refused(mrt("cvm-run", "--model",
        ABS_CASE.toString(), "--input", ABS_CASE.resolve("input.npy").toString(), "--output",
        tmp.resolve("y.npy").toString(), "--threads", "40000")));
  }

  @Test
  void aConfigLinkedToDevZeroIsRefusedByPrepare() throws IOException {
    Path cfg = Files.createSymbolicLink(tmp.resolve("model.yaml"), Path.of("/dev/zero"));
    assertEquals(cfg + ": expected a regular config file, found a special file (device, pipe or socket) behind a link",
        refused(mrt("prepare", cfg.toString())));
  }

  @Test
  void anNpyHeaderWithHalfAMillionNestedBracketsIsRefusedWithoutOverflowingTheStack() throws IOException {
    String header = "{'descr': '<i1', 'fortran_order': False, 'shape': " + "[".repeat(500_000) + "}";
    byte[] h = header.getBytes(StandardCharsets.ISO_8859_1);
    ByteBuffer b = ByteBuffer.allocate(12 + h.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 2, 0}).putInt(h.length).put(h);
    Path f = tmp.resolve("deep.npy");
    Files.write(f, b.array());
    MrtException e = assertThrows(MrtException.class, () -> NpyReader.read(f));
    assertEquals(f + ": at byte offset 126: expected at most 64 nested tuples or lists in the header dict, found "
        + "deeper nesting", e.getMessage());
  }

  @Test
  void aConvolutionPadOfTwoToThe30IsBlamedOnTheConvolutionItself() throws IOException {
    Path json = lenetWith("\"pad\": \"(0, 0)\"", "\"pad\": \"(1073741824, 1073741824)\"");
    String msg = refused(mrt("inspect", json.toString(), "--input-shape", "4,1,28,28"));
    assertTrue(msg.startsWith(json + ": node hybridsequential0_conv0_fwd (Convolution): width: pad must be in "
        + "[0, 65536], found 1073741824 [inferShape hook of ops-builtin"), msg);
    assertTrue(msg.endsWith("(input shapes [(4, 1, 28, 28), (5, 1, 5, 5), (5,)])"), msg);
  }

  @Test
  void aZeroDilationWithANegativePadIsRefusedByInspectAtTheConvolution() throws IOException {
    Path json = lenetWith("\"dilate\": \"(1, 1)\"", "\"dilate\": \"(0, 0)\"");
    String text = Files.readString(json).replaceFirst("\"pad\": \"\\(0, 0\\)\"", "\"pad\": \"(-3, -3)\"");
    Files.writeString(json, text);
    String msg = refused(mrt("inspect", json.toString(), "--input-shape", "4,1,28,28"));
    assertTrue(msg.startsWith(json + ": node hybridsequential0_conv0_fwd (Convolution): width: dilate must be >= 1, "
        + "found 0 [inferShape hook of ops-builtin"), msg);
    assertTrue(msg.endsWith("(input shapes [(4, 1, 28, 28), (5, 1, 5, 5), (5,)])"), msg);
  }

  @Test
  void aFractionalNodeIndexIsRefusedNotTruncated() throws IOException {
    Path json = lenetWith("[[0, 0, 0], [1, 0, 0], [2, 0, 0]]", "[[0, 0, 0], [1.5, 0, 0], [2, 0, 0]]");
    assertEquals(json + ": node 3 (hybridsequential0_conv0_fwd): input 1: entry [1.5,0,0] must hold integers of 32 "
        + "bits, found 1.5 at position 0", refused(mrt("inspect", json.toString())));
    MrtException e = assertThrows(MrtException.class, () -> SymbolReader.read(json));
    assertTrue(e.getMessage().contains("[1.5,0,0]"), e.getMessage());
  }

  @Test
  void aSixHundredKilobyteAttributeIsAbbreviatedInTheMessage() throws IOException {
    String huge = "7".repeat(600_000);
    Path json = lenetWith("\"num_filter\": \"5\"", "\"num_filter\": \"x" + huge + "\"");
    String msg = refused(mrt("inspect", json.toString(), "--input-shape", "4,1,28,28"));
    assertTrue(msg.startsWith(json + ": node hybridsequential0_conv0_fwd (Convolution): attribute 'num_filter': "
        + "expected an integer, found 'x" + "7".repeat(119) + "... (600001 characters)' [inferShape hook of "),
        msg.substring(0, Math.min(msg.length(), 500)));
    assertTrue(msg.length() < 700, msg.substring(0, Math.min(msg.length(), 800)));
  }

  @Test
  void emptyCvmHeadsAreALoadRefusal() throws IOException {
    Path c = copyCase(ABS_CASE);
    String sym = Files.readString(c.resolve("symbol"));
    Files.writeString(c.resolve("symbol"), sym.replaceFirst("\"heads\": \\[[^\\]]*\\][^\\]]*\\]", "\"heads\": []"));
    String msg = refused(mrt("cvm-run", "--model", c.toString(), "--input", c.resolve("input.npy").toString(),
        "--output", tmp.resolve("y.npy").toString()));
    assertTrue(msg.contains("heads") && msg.contains("expected at least one graph output, found an empty list"), msg);
  }

  @Test
  void aStorageIdOfIntMaxIsALoadRefusal() throws IOException {
    Path c = copyCase(ABS_CASE);
    String sym = Files.readString(c.resolve("symbol"));
    Files.writeString(c.resolve("symbol"), sym.replaceFirst(
        "\"storage_id\": \\[\\s*\"list_int\",\\s*\\[\\s*0,\\s*1", "\"storage_id\": [\"list_int\", [0, 2147483647"));
    String msg = refused(mrt("cvm-run", "--model", c.toString(), "--input", c.resolve("input.npy").toString(),
        "--output", tmp.resolve("y.npy").toString()));
    assertTrue(msg.contains("attrs.storage_id[1]") && msg.contains("expected a storage id in [0, 2)")
        && msg.endsWith("found 2147483647"), msg);
  }

  @Test
  void cvmCheckReportsAMalformedCaseJsonInOneWholeSentence() throws IOException {
    Path cases = tmp.resolve("cases");
    Files.createDirectories(cases);
    Path c = copyCase(ABS_CASE);
    Path moved = Files.move(c, cases.resolve("abs-00"));
    Files.writeString(moved.resolve("case.json"), "{\"op\": \"abs\", \"valid\": tru\n}");
    Run r = mrt("cvm-check", cases.toString());
    assertEquals(1, r.code(), r.err());
    assertEquals("0 passed, 1 failed\n  FAILED abs-00: bad case description: " + moved.resolve("case.json")
        + ": line 1, column 24: not valid JSON: Unrecognized token 'tru': was expecting (JSON String, Number, Array, "
        + "Object or token 'null', 'true' or 'false')\n", r.out());
    Files.writeString(moved.resolve("case.json"), "{\"op\": \"abs\", \"valid\": \"yes\"}");
    assertEquals("0 passed, 1 failed\n  FAILED abs-00: bad case description: " + moved.resolve("case.json")
        + ": expected \"valid\": true or false, found \"yes\"\n", mrt("cvm-check", cases.toString()).out());
  }
}

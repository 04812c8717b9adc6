package io.mrt.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mrt.runtime.testutil.SharedDir;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mrt prepare CONFIG.yaml}: the files it writes, overrides, and bad input. */
class PrepareCommandTest {
  @TempDir
  Path dir;

  record Run(int code, String out, String err) {}

  private Run run(String... args) throws IOException {
    Files.createDirectories(dir.resolve("no-plugins"));
    String[] all = new String[args.length + 2];
    all[0] = "--plugins";
    all[1] = dir.resolve("no-plugins").toString();
    System.arraycopy(args, 0, all, 2, args.length);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    String[] full = new String[all.length + 1];
    full[0] = "prepare";
    System.arraycopy(all, 0, full, 1, all.length);
    int code = Main.run(full, new PrintWriter(out), new PrintWriter(err));
    return new Run(code, out.toString(), err.toString());
  }

  private Path config(String extra) throws IOException {
    Path model = SharedDir.get().resolve("models/mnist-lenet-fcrc").toAbsolutePath();
    Path cfg = dir.resolve("lenet.yaml");
    Files.writeString(cfg, "COMMON:\n  MODEL_DIR: " + model + "\n  MODEL_NAME: lenet\n  OUTPUT_DIR: out\n"
        + "PREPARE:\n  INPUT_SHAPE: [-1, 3, 28, 28]\n" + extra);
    return cfg;
  }

  @Test
  void writesThePrepareFilesWithAnInputShapeGivenOnTheCommandLine() throws IOException {
    Run r = run(config("  SPLIT_KEYS: [hybridsequential0_flatten0_flatten0]\n").toString(),
        "--PREPARE.INPUT_SHAPE", "[-1,1,28,28]");
    assertEquals(0, r.code(), r.err());
    for (String f : new String[] {"fixed.json", "fixed.params", "prepare.json", "prepare.params", "prepare.conf",
        "base.json", "base.params", "top.json", "top.params"}) {
      assertTrue(Files.isRegularFile(dir.resolve("out/lenet." + f)), f + "\n" + r.out());
    }
    assertEquals("{\n  \"input_shape\" : [ -1, 1, 28, 28 ],\n  \"split_keys\" : [ \"hybridsequential0_flatten0_flatten0\" ]\n}",
        Files.readString(dir.resolve("out/lenet.prepare.conf")));
    assertTrue(r.out().contains("fuse_constant"), r.out());
    assertTrue(r.out().matches("(?s).*\\nrewrite +0 +0 +0 +10 +8 .*"), r.out());
    String top = Files.readString(dir.resolve("out/lenet.top.json"));
    assertTrue(top.matches("(?s).*\"op\"\\s*:\\s*\"null\",\\s*\"name\"\\s*:\\s*\"hybridsequential0_flatten0_flatten0\".*"),
        "the top reads the split key as a variable:\n" + top);
  }

  @Test
  void anUnknownSplitKeyIsBadInputAndWritesNothing() throws IOException {
    Run r = run(config("  SPLIT_KEYS: [no_such_node]\n").toString(), "--PREPARE.INPUT_SHAPE", "[-1,1,28,28]");
    assertEquals(Main.BAD_INPUT, r.code(), r.err());
    assertEquals("error: PREPARE.SPLIT_KEYS names [no_such_node], which are not nodes of the prepared model",
        r.err().strip());
    assertEquals("", r.out());
    assertFalse(Files.exists(dir.resolve("out")) && hasFiles(dir.resolve("out")), "no partial output");
  }

  @Test
  void anInputShapeThatDoesNotFitTheModelNamesTheNode() throws IOException {
    Run r = run(config("").toString());
    assertEquals(Main.BAD_INPUT, r.code(), r.err());
    assertTrue(r.err().startsWith("error: ") && r.err().contains("hybridsequential0_conv0_fwd (Convolution)"),
        r.err());
    assertEquals(1, r.err().strip().split("\n").length, r.err());
  }

  private static boolean hasFiles(Path p) throws IOException {
    try (Stream<Path> s = Files.list(p)) {
      return s.findAny().isPresent();
    }
  }
}

package io.mrt.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mrt.runtime.exec.cvm.CvmExecutor;
import io.mrt.runtime.io.cvm.CvmModelReader;
import io.mrt.runtime.io.npy.NpyArray;
import io.mrt.runtime.io.npy.NpyReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mrt demo} on the repository's own model and MNIST test set (no ../shared needed), on the
 * first 500 test images (the full 10,000-image run is the documented demo; see docs/results.md).
 */
class DemoCommandTest {
  private static final Pattern LINE = Pattern.compile(
      "dapp: evalfunc: top1=(\\d+\\.\\d\\d)% top5=(\\d+\\.\\d\\d)% \\| quantize: top1=(\\d+\\.\\d\\d)% "
          + "top5=(\\d+\\.\\d\\d)% \\| Total Sample: 500");

  @TempDir Path out;

  @Test
  void demoRunsEveryStageOnTheBundledModelAndWritesALoadableCvmModel() throws Exception {
    Path root = Path.of("").toAbsolutePath();
    while (!Files.exists(root.resolve(DemoCommand.CONFIG))) {
      root = root.getParent();
    }
    System.setProperty("mrt.home", root.toString());
    StringWriter o = new StringWriter();
    StringWriter e = new StringWriter();
    int code = Main.run(new String[] {"demo", "--evaluate.iter_num", "5", "--common.output_dir", out.toString(),
        "--compile.dump_dir", out.toString()}, new PrintWriter(o), new PrintWriter(e));
    assertEquals(0, code, e.toString());
    String text = o.toString();
    assertTrue(text.startsWith("== prepare dapp\n== calibrate dapp\n== quantize dapp\n== evaluate dapp\n"), text);
    Matcher m = LINE.matcher(text);
    assertTrue(m.find(), text);
    double floatTop1 = Double.parseDouble(m.group(1));
    double quantTop1 = Double.parseDouble(m.group(3));
    assertTrue(floatTop1 >= 98.0, "float top-1 on 500 images: " + floatTop1);
    assertTrue(Math.abs(floatTop1 - quantTop1) <= 1.0, "float " + floatTop1 + " vs quantized " + quantTop1);

    Path cvm = out.resolve("dapp_cvm");
    for (String f : new String[] {"symbol", "params", "data.npy", "ext"}) {
      assertTrue(Files.isRegularFile(cvm.resolve(f)), f);
    }
    CvmExecutor exec = CvmExecutor.load(CvmModelReader.read(cvm), cvm.toString());
    NpyArray data = NpyReader.read(cvm.resolve("data.npy"));
    assertEquals(java.util.List.of(1L, 1L, 28L, 28L), java.util.Arrays.stream(data.shape()).boxed().toList());
    int[] scores = exec.run(data).outputs().get(0).values();
    int best = 0;
    for (int i = 1; i < scores.length; i++) {
      best = scores[i] > scores[best] ? i : best;
    }
    assertEquals(7, best, "the first MNIST test image is a 7");
  }
}

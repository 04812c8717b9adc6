package io.mrt.plugins.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mrt.runtime.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code mrt run} on mnist-cnn-tanh as a user runs it: the config of examples/mnist-cnn-tanh.yaml
 * (paths made absolute) and the tanh plugin jar in a plugins directory given with --plugins.
 */
class MnistCnnTanhRunIT {
  private static final Logger LOG = LoggerFactory.getLogger(MnistCnnTanhRunIT.class);
  @TempDir
  Path plugins;
  @TempDir
  Path work;

  private record Run(int code, String out, String err) {}

  private Path config() throws IOException {
    Path shared = MnistCnnTanhIT.shared().toAbsolutePath().normalize();
    Path out = work.resolve("out");
    return Files.writeString(work.resolve("mnist-cnn-tanh.yaml"), String.join("\n",
        "COMMON:",
        "  MODEL_DIR: " + shared.resolve("models/mnist-cnn-tanh"),
        "  MODEL_NAME: mnist",
        "  OUTPUT_DIR: " + out,
        "  BATCH: 16",
        "PREPARE:",
        "  INPUT_SHAPE: [-1, 1, 28, 28]",
        "CALIBRATE:",
        "  NUM_CALIB: 4",
        "  DATASET_NAME: mnist",
        "  DATASET_DIR: " + shared.resolve("data/mnist"),
        "  DATASET_SPLIT: train",
        "QUANTIZE:",
        "  INPUT_PRECISION: 8",
        "  OUTPUT_PRECISION: 8",
        "EVALUATE:",
        "  BATCH: 100",
        "  ITER_NUM: -1",
        "COMPILE:",
        "  BATCH: 1",
        "  DUMP_DIR: " + out,
        ""));
  }

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out), new PrintWriter(err));
    return new Run(code, out.toString(), err.toString());
  }

  private List<String> outputs() throws IOException {
    try (Stream<Path> files = Files.list(work.resolve("out"))) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void withoutThePluginTheRunStopsAtOnceNamingTheNodeAndWritesNothing() throws IOException {
    Run r = run("run", config().toString(), "--plugins", plugins.toString());
    assertEquals(2, r.code(), r.out() + r.err());
    assertTrue(r.err().contains("node hybridsequential9_conv0_tanh_fwd: no registered implementation of op Activation "
        + "with act_type=tanh; a plugin can provide it"), r.err());
    assertTrue(!Files.exists(work.resolve("out")) || outputs().isEmpty(), "nothing written");
  }

  @Test
  void withThePluginPrepareCalibrateAndQuantizeRunAndWriteTheirFiles() throws IOException {
    PluginJars.install(plugins, PluginJars.TANH);
    Run r = run("run", config().toString(), "--plugins", plugins.toString(),
        "--common.run_evaluate", "false", "--common.run_compile", "false");
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("== quantize mnist"), r.out());
    List<String> files = outputs();
    for (String f : List.of("mnist.prepare.json", "mnist.mrt.calibrate.ext", "mnist.mrt.quantize.json",
        "mnist.mrt.quantize.params", "mnist.mrt.quantize.ext")) {
      assertTrue(files.contains(f), f + " in " + files);
    }
    String symbol = Files.readString(work.resolve("out/mnist.mrt.quantize.json"));
    assertEquals(4, symbol.split("\"cvm_lut\"", -1).length - 1, "four lookup tables in the quantized graph");
  }

  @Tag("full")
  @Test
  void withThePluginTheWholePipelineRunsToTheCvmWithinHalfAPointOfFloat() throws IOException {
    wholePipeline(10_000, 99.03, 0.5); // MXNet's top-1 (MODEL.md)
  }

  @Test
  void withThePluginTheWholePipelineRunsToTheCvmWithinOnePointOfFloatOnThe500FixtureImages() throws IOException {
    wholePipeline(500, 99.0, 1.0); // MXNet's 495 of 500 (test-fixtures/models/README.md)
  }

  /** mrt run with the tanh plugin: float top-1 as given, the CVM model within the points given of it. */
  private void wholePipeline(int images, double floatPercent, double points) throws IOException {
    PluginJars.install(plugins, PluginJars.TANH);
    Run r = run("run", config().toString(), "--plugins", plugins.toString());
    assertEquals(0, r.code(), r.out() + r.err());
    String line = r.out().lines().filter(l -> l.startsWith("mnist: evalfunc:")).findFirst().orElseThrow(
        () -> new AssertionError("no results line in\n" + r.out()));
    Matcher m = Pattern.compile("evalfunc: top1=([0-9.]+)% .* quantize: top1=([0-9.]+)% .* Total Sample: " + images + "$")
        .matcher(line);
    assertTrue(m.find(), line);
    double floatTop1 = Double.parseDouble(m.group(1));
    double quantTop1 = Double.parseDouble(m.group(2));
    LOG.info("mrt run mnist-cnn-tanh with the tanh plugin: {}", line);
    assertEquals(floatPercent, floatTop1, 1e-9, line);
    assertTrue(Math.abs(floatTop1 - quantTop1) <= points, line);
    Path cvm = work.resolve("out/mnist_cvm");
    for (String f : List.of("symbol", "params", "data.npy", "ext")) {
      assertTrue(Files.isRegularFile(cvm.resolve(f)), f + " in " + cvm);
    }
    assertTrue(Files.readString(cvm.resolve("symbol")).contains("\"cvm_lut\""), "the tanh tables reach the CVM graph");
  }
}

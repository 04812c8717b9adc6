package io.mrt.plugins.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mrt.runtime.cli.Main;
import io.mrt.runtime.data.Datasets;
import io.mrt.runtime.data.ImageSet;
import io.mrt.runtime.data.Preprocessing;
import io.mrt.runtime.data.Split;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dataset plugin mnist-csv dropped into a plugins directory: {@code mrt run} on a config with
 * {@code DATASET_NAME: mnist_csv} reads the same images as the built-in {@code mnist} and gives the
 * same results, plus the plugin's own metric; a misspelt name and a name provided twice stop the run with one error (exit 2).
 */
class MnistCsvDatasetIT {
  private static final int IMAGES = 160;
  @TempDir
  Path plugins;
  @TempDir
  Path work;

  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out), new PrintWriter(err));
    return new Run(code, out.toString(), err.toString());
  }

  /** The first {@link #IMAGES} MNIST test images of the fixtures as mnist_test.csv (label, 784 pixels). */
  private Path csvFolder() throws IOException {
    ImageSet test = Datasets.load("mnist", MnistCnnTanhIT.shared().resolve("data/mnist"), Split.TEST,
        Preprocessing.divideBy255(-1, 1, 28, 28));
    StringBuilder csv = new StringBuilder("label");
    for (int i = 0; i < 784; i++) {
      csv.append(",pixel").append(i);
    }
    csv.append('\n');
    for (int n = 0; n < IMAGES; n++) {
      csv.append(test.label(n));
      for (int y = 0; y < 28; y++) {
        for (int x = 0; x < 28; x++) {
          csv.append(',').append(test.pixel(n, 0, y, x));
        }
      }
      csv.append('\n');
    }
    Path dir = Files.createDirectories(work.resolve("csv"));
    Files.writeString(dir.resolve("mnist_test.csv"), csv);
    return dir;
  }

  private Path config(String name, String dataset, Path dataDir) throws IOException {
    Path shared = MnistCnnTanhIT.shared().toAbsolutePath().normalize();
    Path out = work.resolve("out-" + name);
    return Files.writeString(work.resolve(name + ".yaml"), String.join("\n",
        "COMMON:",
        "  MODEL_DIR: " + shared.resolve("models/mnist-lenet-fcrc"),
        "  MODEL_NAME: lenet",
        "  OUTPUT_DIR: " + out,
        "  BATCH: 16",
        "PREPARE:",
        "  INPUT_SHAPE: [-1, 1, 28, 28]",
        "CALIBRATE:",
        "  NUM_CALIB: 2",
        "  DATASET_NAME: " + dataset,
        "  DATASET_DIR: " + dataDir.toAbsolutePath(),
        "  DATASET_SPLIT: test",
        "  SCALE: 0.00392156862745098",
        "QUANTIZE:",
        "  INPUT_PRECISION: 8",
        "  OUTPUT_PRECISION: 8",
        "EVALUATE:",
        "  BATCH: 16",
        "  ITER_NUM: " + IMAGES / 16,
        "COMPILE:",
        "  BATCH: 1",
        "  DUMP_DIR: " + out,
        ""));
  }

  private static String resultLine(Run r) {
    return r.out().lines().filter(l -> l.startsWith("lenet: evalfunc:")).findFirst()
        .orElseThrow(() -> new AssertionError("no results line in\n" + r.out() + r.err()));
  }

  @Test
  void aConfigNamingThePluginsDataSetRunsAndMatchesTheBuiltInMnistOnTheSameImages() throws IOException {
    PluginJars.install(plugins, PluginJars.MNIST_CSV);
    Run csv = run("run", config("csv", "mnist_csv", csvFolder()).toString(), "--plugins", plugins.toString());
    assertEquals(0, csv.code(), csv.out() + csv.err());
    Run idx = run("run", config("idx", "mnist", MnistCnnTanhIT.shared().resolve("data/mnist")).toString(),
        "--plugins", plugins.toString());
    assertEquals(0, idx.code(), idx.out() + idx.err());
    assertTrue(resultLine(csv).endsWith("| Total Sample: " + IMAGES), resultLine(csv));
    assertEquals(resultLine(idx), resultLine(csv));
    // the plugin's own metric follows the agreement line; the built-in mnist has none
    List<String> lines = csv.out().lines().toList();
    String metric = lines.get(lines.indexOf(resultLine(csv)) + 2);
    Matcher m = Pattern.compile("lenet: balanced_top1: evalfunc=([0-9.]+)% \\| quantize=([0-9.]+)%").matcher(metric);
    assertTrue(m.matches(), metric);
    assertTrue(idx.out().lines().noneMatch(l -> l.contains("balanced_top1")), idx.out());
    JsonNode report = new ObjectMapper().readTree(work.resolve("out-csv/lenet.evaluate.json").toFile());
    assertEquals("balanced_top1", report.get("metric").get("name").asText());
    assertEquals(Double.parseDouble(m.group(1)), 100 * report.get("metric").get("float").asDouble(), 0.005);
    assertEquals(Double.parseDouble(m.group(2)), 100 * report.get("metric").get("quantized").asDouble(), 0.005);
    assertTrue(Files.isRegularFile(work.resolve("out-csv/lenet_cvm/data.npy")), "compile read its batch too");
    assertEquals(-1L, Files.mismatch(work.resolve("out-idx/lenet_cvm/data.npy"), work.resolve("out-csv/lenet_cvm/data.npy")),
        "the compiled model's sample input is the same image");
  }

  @Test
  void aMisspeltNameListsTheKnownDataSetsWithThePluginsAndSuggestsTheNearestBeforeAnyStageRuns() throws IOException {
    PluginJars.install(plugins, PluginJars.MNIST_CSV);
    Run r = run("run", config("typo", "mnist_cvs", csvFolder()).toString(), "--plugins", plugins.toString());
    assertEquals(2, r.code(), r.out() + r.err());
    assertEquals("error: CALIBRATE.DATASET_NAME: unknown data set 'mnist_cvs'; known: imagenet, cifar10, mnist, "
        + "fashion_mnist, stdrandom, image_folder, voc, coco, quickdraw, trec, mnist_csv (did you mean 'mnist_csv'?)",
        r.err().lines().filter(l -> l.startsWith("error:")).findFirst().orElse(r.err()));
    assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
    assertEquals("", r.out());
    assertFalse(Files.exists(work.resolve("out-typo")), "nothing written");
  }

  @Test
  void twoJarsProvidingOneDataSetNameStopTheRunNamingBoth() throws IOException {
    Path first = PluginJars.install(plugins, PluginJars.MNIST_CSV).get(0);
    Path second = PluginJars.withManifest(first, plugins.resolve("zz-copy.jar"), Map.of("Plugin-Id", "mnist-csv-copy"));
    Run r = run("run", config("twice", "mnist_csv", csvFolder()).toString(), "--plugins", plugins.toString());
    assertEquals(2, r.code(), r.out() + r.err());
    assertEquals("error: data set mnist_csv is provided by both plugin mnist-csv (" + first.getFileName()
        + ", class io.mrt.plugins.mnistcsv.MnistCsv) and plugin mnist-csv-copy (" + second.getFileName()
        + ", class io.mrt.plugins.mnistcsv.MnistCsv); remove one of them",
        r.err().lines().filter(l -> l.startsWith("error:")).findFirst().orElse(r.err()));
    assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
    assertFalse(Files.exists(work.resolve("out-twice")), "nothing written");
  }
}

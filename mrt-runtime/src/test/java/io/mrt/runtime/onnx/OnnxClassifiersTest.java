package io.mrt.runtime.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mrt.api.graph.Model;
import io.mrt.api.graph.Node;
import io.mrt.api.graph.Shape;
import io.mrt.runtime.data.Datasets;
import io.mrt.runtime.data.ImageSet;
import io.mrt.runtime.data.Layout;
import io.mrt.runtime.data.Preprocessing;
import io.mrt.runtime.data.Split;
import io.mrt.runtime.exec.fp.FloatExecutor;
import io.mrt.runtime.io.mxnet.ModelFiles;
import io.mrt.runtime.io.mxnet.MxnetModels;
import io.mrt.runtime.io.onnx.OnnxModels;
import io.mrt.runtime.pass.ImportOpsPass;
import io.mrt.runtime.pass.PassContext;
import io.mrt.runtime.pass.PassManager;
import io.mrt.runtime.stage.prepare.PreparePasses;
import io.mrt.runtime.registry.OpTable;
import io.mrt.runtime.testutil.SharedDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The ONNX classifiers of {@code examples/onnx}: the shared MXNet models exported by
 * {@link MxnetToOnnx} (no third-party ONNX classifier ships in a package reachable here; see
 * docs/onnx.md). The committed files are what the exporter writes; ONNX Runtime (through DJL) runs
 * them to MXNet's own predictions; and the project's reader, import and float executor agree with
 * ONNX Runtime within 1e-4 (relative to the sample's largest output) on real test images.
 */
class OnnxClassifiersTest {
  /** Outputs agree when |ours - ort| <= 1e-4 * max |ort output of the sample|. */
  static final double TOLERANCE = 1e-4;
  static final int IMAGES = 500;
  static final int BATCH = 100;

  @TempDir
  static Path work;

  /** One exported model: its shared MXNet source, opset, data and preprocessing. */
  record Case(String folder, String name, int opset, String dataset, String dataDir, Preprocessing prep) {
    @Override
    public String toString() {
      return name;
    }

    Path onnx() {
      return repoRoot().resolve("examples/onnx").resolve(name + ".onnx");
    }

    long[] chw() {
      long[] s = prep.inputShape();
      return new long[] {s[1], s[2], s[3]};
    }
  }

  static Stream<Case> models() {
    Preprocessing mnist = Preprocessing.divideBy255(-1, 1, 28, 28);
    Preprocessing cifar = new Preprocessing(1 / 255.0, new double[] {0.4914, 0.4822, 0.4465},
        new double[] {0.2023, 0.1994, 0.2010}, Layout.NCHW, new long[] {-1, 3, 32, 32});
    return Stream.of(
        new Case("mnist-lenet-fcrc", "lenet", 11, "mnist", "mnist", mnist),
        new Case("cifar-resnet20-v1", "cifar_resnet20_v1", 13, "cifar10", "cifar10-q75", cifar));
  }

  static Path repoRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve("examples"))) {
      dir = dir.getParent();
    }
    return dir;
  }

  static Model mxnet(Case c) {
    Path dir = SharedDir.get().resolve("models").resolve(c.folder());
    Model m = MxnetModels.load(ModelFiles.locate(dir));
    return new PassManager(PreparePasses.fixOriginal()).run(m, new PassContext(OpTable.load()));
  }

  static byte[] exported(Case c) {
    return MxnetToOnnx.export(mxnet(c), c.name(), c.opset(), c.chw()).toByteArray();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("models")
  void theCommittedOnnxFileIsWhatTheExporterWrites(Case c) throws IOException {
    byte[] bytes = exported(c);
    if (Boolean.getBoolean("mrt.onnx.update")) {
      Files.createDirectories(c.onnx().getParent());
      Files.write(c.onnx(), bytes);
    }
    assertArrayEquals(bytes, Files.readAllBytes(c.onnx()), c.onnx() + " is out of date; regenerate with"
        + " -Dtest=OnnxClassifiersTest -Dmrt.onnx.update=true");
  }

  private static ImageSet testSet(Case c) {
    return Datasets.load(c.dataset(), SharedDir.get().resolve("data").resolve(c.dataDir()), Split.TEST, c.prep());
  }

  private static List<int[]> mxnetPredictions(Case c) throws IOException {
    // the committed fixtures carry MXNet's predictions on their own image subset; the full data its
    // predictions on the whole test set
    Path dir = SharedDir.get().resolve("models").resolve(c.folder());
    Path f = Files.exists(dir.resolve("mxnet_predictions_fixture.txt")) ? dir.resolve("mxnet_predictions_fixture.txt")
        : dir.resolve("mxnet_predictions_t10k.txt");
    return Files.readAllLines(f).stream().map(l -> l.trim().split("\\s+"))
        .map(p -> new int[] {Integer.parseInt(p[0]), Integer.parseInt(p[1])}).toList();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("models")
  void onnxRuntimeRunsTheExportedFileToMxnetsPredictions(Case c) throws IOException {
    ImageSet set = testSet(c);
    List<int[]> expected = mxnetPredictions(c);
    try (OrtReference ort = new OrtReference(c.onnx(), work)) {
      for (int from = 0; from < IMAGES; from += BATCH) {
        INDArray out = ort.run(c.prep().batch(set, from, BATCH)).get(0);
        for (int i = 0; i < BATCH; i++) {
          assertEquals(expected.get(from + i)[1], out.getRow(i).argMax().getInt(0),
              "image " + (from + i) + ": ONNX Runtime's argmax differs from MXNet's");
        }
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("models")
  void readerImportAndFloatExecutorAgreeWithOnnxRuntime(Case c) {
    OpTable ops = OpTable.load();
    Model onnx = OnnxModels.load(c.onnx());
    assertTrue(onnx.graph().ops().stream().allMatch(n -> n.op().startsWith("onnx_")), "read as ONNX ops");
    Model imported = ImportOpsPass.importModel(onnx, Shape.of(1, c.chw()[0], c.chw()[1], c.chw()[2]), ops);
    assertTrue(imported.graph().ops().stream().map(Node::op).noneMatch(op -> op.startsWith("onnx_")),
        "no ONNX op left after the import: " + imported.graph().ops().stream().map(Node::op).distinct().toList());
    FloatExecutor exec = new FloatExecutor(imported, ops);
    ImageSet set = testSet(c);
    double worst = 0;
    try (OrtReference ort = new OrtReference(c.onnx(), work)) {
      for (int from = 0; from < IMAGES; from += BATCH) {
        INDArray x = c.prep().batch(set, from, BATCH);
        INDArray ref = ort.run(x).get(0);
        INDArray ours = exec.run(x).get(0);
        assertArrayEquals(ref.shape(), ours.shape());
        for (int i = 0; i < BATCH; i++) {
          INDArray r = ref.getRow(i);
          double scale = r.amaxNumber().doubleValue();
          double diff = r.sub(ours.getRow(i).castTo(r.dataType())).amaxNumber().doubleValue();
          worst = Math.max(worst, diff / scale);
          assertTrue(diff <= TOLERANCE * scale, "image " + (from + i) + ": |ours - ort| = " + diff + " > 1e-4 * " + scale);
        }
      }
    }
    System.out.printf("%s: worst relative difference to ONNX Runtime over %d images: %.3g%n", c, IMAGES, worst);
  }
}

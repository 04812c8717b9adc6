package io.mrt.runtime.stage.prepare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mrt.api.graph.Model;
import io.mrt.api.graph.Node;
import io.mrt.runtime.data.Cifar10Reader;
import io.mrt.runtime.data.IdxReader;
import io.mrt.runtime.data.ImageSet;
import io.mrt.runtime.data.Layout;
import io.mrt.runtime.data.Preprocessing;
import io.mrt.runtime.exec.fp.FloatExecutor;
import io.mrt.runtime.io.mxnet.ModelFiles;
import io.mrt.runtime.io.mxnet.MxnetModels;
import io.mrt.runtime.registry.OpTable;
import io.mrt.runtime.stage.StageFiles;
import io.mrt.runtime.stage.prepare.PrepareStage;
import io.mrt.runtime.testutil.SharedDir;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The prepare stage on the real models of ../shared/models: the float outputs of the original
 * model and of the prepared model agree to 1e-4 (relative to the largest output) on real test
 * images. mnist-cnn-tanh needs the tanh plugin; its test is PrepareTanhModelIT in plugins/it.
 */
class PrepareRealModelsTest {
  private static final Logger LOG = LoggerFactory.getLogger(PrepareRealModelsTest.class);
  private static final int IMAGES = 200;
  private static final OpTable OPS = OpTable.load();

  @TempDir
  Path out;

  private static ImageSet mnist() {
    Path d = SharedDir.get().resolve("data/mnist");
    return IdxReader.readImageSet(d.resolve("t10k-images-idx3-ubyte.gz"), d.resolve("t10k-labels-idx1-ubyte.gz"));
  }

  private static ImageSet cifar() {
    return Cifar10Reader.read(SharedDir.get().resolve("data/cifar10-q75/test_batch.bin"));
  }

  /** Prepares the model, checks the written files and returns the largest relative difference. */
  private double prepareAndCompare(String folder, String name, List<Integer> shape, ImageSet images,
      Preprocessing pre) throws Exception {
    Path modelDir = SharedDir.get().resolve("models/" + folder);
    StageFiles files = new StageFiles(modelDir, out, name, out.resolve("dump"));
    PrepareStage.Result r = PrepareStage.run(files, shape, List.of(), OPS);

    for (String f : List.of(".fixed.json", ".fixed.params", ".prepare.json", ".prepare.params", ".prepare.conf")) {
      assertTrue(Files.isRegularFile(out.resolve(name + f)), name + f + " is written");
    }
    assertEquals(Map.of("input_shape", shape),
        new ObjectMapper().readValue(out.resolve(name + ".prepare.conf").toFile(), Map.class));

    Model fixed = MxnetModels.load(new ModelFiles(files.fixedSymbol(), files.fixedParams()));
    Model prepared = MxnetModels.load(
        new ModelFiles(files.prepareSymbol(), files.prepareParams()));
    assertEquals(io.mrt.runtime.pass.GraphText.of(r.prepared()), io.mrt.runtime.pass.GraphText.of(prepared),
        "the prepared model reads back as written");
    assertEquals(List.of("data"), List.copyOf(prepared.inputNames()));

    INDArray x = pre.batch(images, 0, IMAGES);
    INDArray a = new FloatExecutor(fixed, OPS).run(x).get(0).castTo(DataType.DOUBLE);
    INDArray b = new FloatExecutor(prepared, OPS).run(x).get(0).castTo(DataType.DOUBLE);
    assertEquals(List.of((long) IMAGES, 10L), List.of(a.size(0), a.size(1)));
    double abs = a.sub(b).amaxNumber().doubleValue();
    double rel = abs / Math.max(1.0, a.amaxNumber().doubleValue());
    Map<String, Integer> ops = new TreeMap<>();
    for (Node n : prepared.graph().ops()) {
      ops.merge(n.op(), 1, Integer::sum);
    }
    LOG.info("{}: prepared ops {}; max |fixed - prepared| over {} images = {} (relative {})", folder, ops, IMAGES,
        abs, rel);
    assertTrue(rel <= 1e-4, folder + ": outputs before and after prepare differ by " + abs + " (relative " + rel + ")");
    assertEquals(a.argMax(1), b.argMax(1), folder + ": same predicted classes");
    return rel;
  }

  @Test
  void lenetPreparedAgreesWithTheOriginalOnMnist() throws Exception {
    prepareAndCompare("mnist-lenet-fcrc", "lenet", List.of(-1, 1, 28, 28), mnist(),
        Preprocessing.divideBy255(-1, 1, 28, 28));
  }

  @Test
  void mlpPreparedAgreesWithTheOriginalOnMnist() throws Exception {
    prepareAndCompare("mnist-mlp-advosbig", "net", List.of(-1, 1, 28, 28), mnist(),
        Preprocessing.divideBy255(-1, 1, 28, 28));
  }

  @Test
  void resnet20PreparedAgreesWithTheOriginalOnCifar10AndHasNoBatchNormLeft() throws Exception {
    Preprocessing pre = new Preprocessing(1 / 255.0, new double[] {0.4914, 0.4822, 0.4465},
        new double[] {0.2023, 0.1994, 0.2010}, Layout.NCHW, new long[] {-1, 3, 32, 32});
    prepareAndCompare("cifar-resnet20-v1", "cifar_resnet20_v1", List.of(-1, 3, 32, 32), cifar(), pre);
    Model prepared = MxnetModels.load(new ModelFiles(
        out.resolve("cifar_resnet20_v1.prepare.json"), out.resolve("cifar_resnet20_v1.prepare.params")));
    assertTrue(prepared.graph().ops().stream().noneMatch(n -> n.op().equals("BatchNorm") || n.op().equals("Pooling")),
        "BatchNorm folded and global average pooling rewritten");
  }
}

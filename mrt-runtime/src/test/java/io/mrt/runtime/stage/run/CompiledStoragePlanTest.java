package io.mrt.runtime.stage.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mrt.runtime.config.ConfigLoader;
import io.mrt.runtime.config.MrtConfig;
import io.mrt.runtime.exec.cvm.CvmExecutor;
import io.mrt.runtime.exec.cvm.CvmResult;
import io.mrt.runtime.io.cvm.CvmEntryRef;
import io.mrt.runtime.io.cvm.CvmGraph;
import io.mrt.runtime.io.cvm.CvmModel;
import io.mrt.runtime.io.cvm.CvmModelReader;
import io.mrt.runtime.io.cvm.CvmNode;
import io.mrt.runtime.io.cvm.CvmStoragePlan;
import io.mrt.runtime.io.npy.NpyArray;
import io.mrt.runtime.io.npy.NpyReader;
import io.mrt.runtime.registry.OpTable;
import io.mrt.runtime.stage.compile.CompileStage;
import io.mrt.runtime.testutil.SharedDir;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo and example models compiled at batch 16 by the pipeline (prepare, calibrate, quantize,
 * compile) carry a liveness storage plan: the exact storage ids and bytes per image, the compile
 * log's plan line, no two live entries in one storage id (checked here independently of the
 * planner), and outputs identical to the same graph with one storage id per entry on the 16 real
 * test images of the written {@code data.npy}, on 1 and 2 threads.
 */
@Tag("slow")
class CompiledStoragePlanTest {
  private static final OpTable OPS = OpTable.load();
  private static final int BATCH = 16;

  @TempDir
  Path out;

  private static Path repo(String file) {
    Path p = Path.of("..", file);
    return Files.exists(p) ? p : Path.of(file);
  }

  /** The config of {@code yaml} with every output under {@code out}, compiled at batch 16. */
  private MrtConfig config(String yaml, String model, String dataset) {
    List<String> o = new ArrayList<>(List.of("--common.output_dir", out.toString(), "--compile.dump_dir",
        out.toString(), "--compile.batch", Integer.toString(BATCH), "--common.run_evaluate", "false"));
    if (!model.isEmpty()) {
      o.addAll(List.of("--common.model_dir", SharedDir.get().resolve("models").resolve(model).toString()));
    }
    if (!dataset.isEmpty()) {
      o.addAll(List.of("--calibrate.dataset_dir", SharedDir.get().resolve("data").resolve(dataset).toString()));
    }
    return ConfigLoader.load(repo(yaml), o);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      // config, shared model, shared dataset, entries, storage ids, bytes, bytes without plan,
      // activation bytes per image, the same without plan (cifar_resnet20_v1 per image: the 3x32x32
      // input, 12,288 bytes, three 16x32x32 maps of 65,536 bytes for the residual blocks, and two
      // slots of 64 values, 256 bytes each, after the global pooling)
      "demo/mnist-dapp.yaml, '', '', 39, 16, 2935596, 18522796, 167568, 1141768",
      "examples/mnist-lenet-fcrc.yaml, mnist-lenet-fcrc, mnist, 30, 14, 297996, 798220, 17704, 48968",
      "examples/mnist-mlp-advosbig.yaml, mnist-mlp-advosbig, mnist, 22, 11, 546732, 590252, 6824, 9544",
      "examples/fashion-resnet.yaml, '', fashion-mnist, 102, 37, 1443300, 10600164, 78920, 651224",
      "examples/fashion-mobilenetv2.yaml, '', fashion-mnist, 220, 83, 4711308, 55294284, 279228, 3440664",
      // (calibrated on the committed CIFAR fixture images, whose thresholds give one node fewer than the
      // full test set's first images do; docs/performance.md has the 208-entry figures of the full data)
      "examples/cifar-resnet20-v1.yaml, cifar-resnet20-v1, cifar10-q75, 207, 70, 4437368, 83362296, 209408, 5142216",
  })
  void compiledModelCarriesALivenessPlanAndComputesTheSameOutputsAsWithoutIt(String yaml, String model,
      String dataset, int entries, int storageIds, long bytes, long unplannedBytes, long perImage,
      long unplannedPerImage) {
    StringWriter log = new StringWriter();
    Pipeline.Outcome o = Pipeline.run(config(yaml, model, dataset), OPS, new PrintWriter(log, true));
    assertEquals(List.of("prepare", "calibrate", "quantize", "compile"), o.ran());
    CompileStage.Result r = o.compiled().orElseThrow();
    CvmModel planned = CvmModelReader.read(r.dir());
    CvmStoragePlan.Summary s = CvmStoragePlan.summarize(planned);
    assertEquals(BATCH, s.batch());
    assertEquals(List.of(entries, storageIds, bytes, unplannedBytes, perImage, unplannedPerImage),
        List.of(s.entries(), s.storageIds(), s.bytes(), s.unplannedBytes(), s.activationBytesPerImage(),
            s.unplannedActivationBytesPerImage()));
    assertTrue(log.toString().contains(s.line()), log.toString());
    assertNoTwoLiveEntriesShareStorage(planned);

    CvmModel unplanned = CvmStoragePlan.replan(planned, CvmStoragePlan.Strategy.ONE_PER_ENTRY);
    NpyArray images = NpyReader.read(r.dir().resolve("data.npy"));
    assertArrayEquals(new long[] {BATCH}, Arrays.copyOf(images.shape(), 1));
    CvmResult want = CvmExecutor.load(unplanned, "unplanned", CvmExecutor.Options.threads(1)).run(images);
    for (int threads : new int[] {1, 2}) {
      CvmResult got = CvmExecutor.load(planned, "planned", CvmExecutor.Options.threads(threads)).run(images);
      assertEquals(want.outputs().size(), got.outputs().size());
      for (int h = 0; h < want.outputs().size(); h++) {
        assertArrayEquals(want.outputs().get(h).values(), got.outputs().get(h).values(), threads + " threads, head " + h);
      }
    }
  }

  /**
   * Every pair of entries in one storage id has disjoint lifetimes (made by its node, last read by
   * its last reader; variables and heads live throughout), except that an in-place operator of
   * CVM_FORMAT.md's allow-list may write its output over an input it reads for the last time.
   */
  static void assertNoTwoLiveEntriesShareStorage(CvmModel m) {
    CvmGraph g = m.graph();
    List<CvmNode> nodes = g.nodes();
    int ne = g.attrs().shape().size();
    int[] made = new int[ne];
    int[] lastRead = new int[ne];
    int[] node = new int[ne];
    for (int i = 0; i < nodes.size(); i++) {
      for (long e = g.nodeRowPtr().get(i); e < g.nodeRowPtr().get(i + 1); e++) {
        node[(int) e] = i;
        made[(int) e] = nodes.get(i).isVariable() ? -1 : i;
        lastRead[(int) e] = nodes.get(i).isVariable() ? Integer.MAX_VALUE : i;
      }
      for (CvmEntryRef in : nodes.get(i).inputs()) {
        int e = (int) (g.nodeRowPtr().get(in.nodeId()) + in.index());
        lastRead[e] = Math.max(lastRead[e], i);
      }
    }
    for (CvmEntryRef h : g.heads()) {
      lastRead[(int) (g.nodeRowPtr().get(h.nodeId()) + h.index())] = Integer.MAX_VALUE;
    }
    List<Integer> sid = g.attrs().storageId();
    for (int a = 0; a < ne; a++) {
      for (int b = a + 1; b < ne; b++) {
        if (!sid.get(a).equals(sid.get(b))) {
          continue;
        }
        int[] first = made[a] <= made[b] ? new int[] {a, b} : new int[] {b, a};
        int x = first[0];
        int y = first[1];
        String where = "entries " + x + " and " + y + " share storage id " + sid.get(a);
        assertTrue(lastRead[x] <= made[y], where + " while both are live");
        if (lastRead[x] == made[y]) {
          CvmNode writer = nodes.get(node[y]);
          assertTrue(CvmStoragePlan.IN_PLACE_OPS.contains(writer.funcName()), where + ": " + writer.funcName()
              + " may not run in place");
        }
      }
    }
  }
}

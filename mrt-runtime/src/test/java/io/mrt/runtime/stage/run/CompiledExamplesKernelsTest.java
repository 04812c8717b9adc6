package io.mrt.runtime.stage.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mrt.runtime.config.ConfigLoader;
import io.mrt.runtime.exec.cvm.CvmExecutor;
import io.mrt.runtime.exec.cvm.CvmRebatch;
import io.mrt.runtime.io.cvm.CvmModel;
import io.mrt.runtime.io.cvm.CvmModelReader;
import io.mrt.runtime.io.npy.NpyReader;
import io.mrt.runtime.registry.OpTable;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The example models compiled by the pipeline and re-batched to 16 give the same bits with every
 * kernel variant (packed with and without the Vector API, blocked) on 1, 2 and 3 threads as the
 * naive single-threaded kernel, on their data.npy image and 15 random int8 images; the packed
 * executor fuses element-wise nodes into conv2d/dense and needs less buffer memory than the file's
 * storage plan.
 */
@Tag("slow")
class CompiledExamplesKernelsTest {
  private static final OpTable OPS = OpTable.load();

  @TempDir
  Path out;

  private static Path shared() {
    return Path.of(System.getProperty("mrt.shared.dir", "../shared")).toAbsolutePath().normalize();
  }

  private static Path example(String model) {
    Path p = Path.of("..", "examples", model + ".yaml");
    return Files.exists(p) ? p : Path.of("examples", model + ".yaml");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"cifar-resnet20-v1, cifar10-q75", "mnist-lenet-fcrc, mnist", "mnist-mlp-advosbig, mnist"})
  void everyKernelVariantAndThreadCountGivesTheNaiveBitsOnTheCompiledModel(String model, String dataset) {
    List<String> overrides = List.of(
        "--common.model_dir", shared().resolve("models").resolve(model).toString(),
        "--calibrate.dataset_dir", shared().resolve("data").resolve(dataset).toString(),
        "--common.output_dir", out.toString(), "--compile.dump_dir", out.toString(),
        "--evaluate.iter_num", "1");
    Pipeline.Outcome o = Pipeline.run(ConfigLoader.load(example(model), overrides), OPS,
        new PrintWriter(new StringWriter(), true));
    Path dir = o.compiled().orElseThrow().dir();
    CvmModel m = CvmRebatch.rebatch(CvmModelReader.read(dir), dir.toString(), 16);
    int[] one = NpyReader.read(dir.resolve("data.npy")).toIntArray();
    int[] in = new Random(16).ints(16L * one.length, -127, 128).toArray();
    System.arraycopy(one, 0, in, 0, one.length);

    CvmExecutor naive = CvmExecutor.load(m, model, new CvmExecutor.Options(1, CvmExecutor.ConvKernel.NAIVE));
    int[] ref = naive.run(in).outputs().get(0).values();
    assertEquals(160, ref.length);
    List<String> bad = new ArrayList<>();
    for (CvmExecutor.ConvKernel k : List.of(CvmExecutor.ConvKernel.PACKED, CvmExecutor.ConvKernel.PACKED_SCALAR,
        CvmExecutor.ConvKernel.BLOCKED)) {
      for (int t = 1; t <= 3; t++) {
        int[] got = CvmExecutor.load(m, model, new CvmExecutor.Options(t, k)).run(in).outputs().get(0).values();
        if (!Arrays.equals(ref, got)) {
          bad.add(k + " on " + t + " thread(s)");
        }
      }
    }
    assertEquals(List.of(), bad);
    CvmExecutor packed = CvmExecutor.load(m, model, CvmExecutor.Options.threads(1));
    assertTrue(packed.stepCount() < packed.operatorCount(), packed.stepCount() + " steps");
    // the executor's buffers follow the file's plan, except that a fused chain's result that the plan
    // puts in the storage of the chain's own input gets a buffer of its own: within 10% of the plan
    assertTrue(packed.bufferBytes() <= packed.storageBytes() * 11 / 10,
        packed.bufferBytes() + " bytes of buffers, " + packed.storageBytes() + " in the plan");
  }
}

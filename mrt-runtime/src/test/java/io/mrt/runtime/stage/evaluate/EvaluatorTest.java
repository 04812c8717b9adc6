package io.mrt.runtime.stage.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mrt.api.graph.Model;
import io.mrt.runtime.config.ConfigLoader;
import io.mrt.runtime.config.MrtConfig;
import io.mrt.runtime.data.Batch;
import io.mrt.runtime.data.BatchIterator;
import io.mrt.runtime.data.ClassificationAccuracy;
import io.mrt.runtime.data.ImageSet;
import io.mrt.runtime.data.Preprocessing;
import io.mrt.runtime.data.Split;
import io.mrt.runtime.exec.cvm.CvmExecutor;
import io.mrt.runtime.exec.fp.FloatExecutor;
import io.mrt.runtime.io.mxnet.ModelFiles;
import io.mrt.runtime.io.mxnet.MxnetModels;
import io.mrt.runtime.registry.OpTable;
import io.mrt.runtime.stage.compile.CvmCompiler;
import io.mrt.runtime.stage.QuantizedModel;
import io.mrt.runtime.stage.StageFiles;
import io.mrt.runtime.stage.run.Pipeline;
import io.mrt.runtime.stage.run.StageData;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The streaming evaluation (decoding, float and CVM forwards overlapped) gives exactly the figures
 * of a plain loop over the same batches: the bundled demo model, prepared, calibrated and quantized,
 * on the first 1,000 MNIST test images in batches of 64 (15 full batches and a last one of 40).
 */
class EvaluatorTest {
  @TempDir static Path out;
  static OpTable ops;
  static MrtConfig config;
  static FloatExecutor fp;
  static QuantizedModel quantized;
  static ImageSet test;
  static Preprocessing pre;

  @BeforeAll
  static void quantizeTheDemoModel() {
    Path root = Path.of("").toAbsolutePath();
    while (!Files.exists(root.resolve("demo/mnist-dapp.yaml"))) {
      root = root.getParent();
    }
    config = ConfigLoader.load(root.resolve("demo/mnist-dapp.yaml"), List.of("--common.output_dir", out.toString(),
        "--common.run_evaluate", "false", "--common.run_compile", "false"));
    ops = OpTable.load();
    Pipeline.run(config, ops, new PrintWriter(new StringWriter()));
    StageFiles files = StageFiles.of(config);
    Model fixed = MxnetModels.loadRunnable(new ModelFiles(files.fixedSymbol(), files.fixedParams()));
    fp = new FloatExecutor(fixed, ops);
    quantized = QuantizedModel.read(files);
    pre = StageData.preprocessing(config);
    test = StageData.dataset(config, Split.TEST).slice(0, 1000);
  }

  /** The evaluation as a plain loop: one batch at a time, float then CVM, on this thread. */
  private static EvalResult plainLoop(CvmExecutor cvm, int batch) {
    ClassificationAccuracy f = new ClassificationAccuracy();
    ClassificationAccuracy q = new ClassificationAccuracy();
    long agree = 0;
    BatchIterator it = BatchIterator.all(test, pre, batch);
    int inputSize = (int) Arrays.stream(cvm.inputShape()).reduce(1, (a, b) -> a * b);
    while (it.hasNext()) {
      Batch b = it.next();
      INDArray scores = fp.run(b.data()).get(0);
      int[] y = cvm.run(Arrays.copyOf(quantized.input().apply(b.data()), inputSize)).outputs().get(0).values();
      int classes = y.length / batch;
      for (int i = 0; i < b.size(); i++) {
        double[] fs = scores.getRow(i).castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).toDoubleVector();
        double[] qs = Arrays.stream(Arrays.copyOfRange(y, i * classes, (i + 1) * classes)).asDoubleStream().toArray();
        f.update(fs, b.label(i));
        q.update(qs, b.label(i));
        agree += Evaluator.argmax(fs) == Evaluator.argmax(qs) ? 1 : 0;
      }
    }
    return new EvalResult("dapp", f.top1(), f.top5(), q.top1(), q.top5(), f.total(), (double) agree / f.total());
  }

  @Test
  void streamingEvaluationGivesTheFiguresOfAPlainLoop() {
    CvmExecutor cvm = CvmExecutor.load(CvmCompiler.compile(quantized.model(), ops, pre.batchShape(64)), "dapp");
    EvalResult expected = plainLoop(cvm, 64);
    EvalResult streamed = Evaluator.evaluate("dapp", BatchIterator.all(test, pre, 64), fp, cvm, quantized.input());
    assertEquals(1000, streamed.total());
    assertEquals(expected, streamed);
    // the counts behind the figures: the demo model is right on nearly every image
    assertEquals(expected.floatTop1() * 1000, Math.rint(streamed.floatTop1() * 1000), 1e-9);
    assertEquals(true, streamed.floatTop1() >= 0.98, streamed.line());
  }
}

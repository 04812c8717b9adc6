package io.mrt.runtime.stage.quantize;

import io.mrt.api.graph.Model;
import io.mrt.runtime.data.Batch;
import io.mrt.runtime.data.BatchIterator;
import io.mrt.runtime.data.ClassificationAccuracy;
import io.mrt.runtime.data.Datasets;
import io.mrt.runtime.data.ImageSet;
import io.mrt.runtime.data.Preprocessing;
import io.mrt.runtime.data.Split;
import io.mrt.runtime.exec.fp.FloatExecutor;
import io.mrt.runtime.io.mxnet.ModelFiles;
import io.mrt.runtime.io.mxnet.MxnetModels;
import io.mrt.runtime.registry.OpTable;
import io.mrt.runtime.stage.calibrate.CalibrateOptions;
import io.mrt.runtime.stage.calibrate.Calibrator;
import io.mrt.runtime.testutil.SharedDir;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Function;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Calibrates, quantizes and measures a real model of ../shared on its full test set. */
final class ModelAccuracy {
  static final OpTable OPS = OpTable.load();

  /** Float and quantized top-1 over the test set. */
  record Figures(double floatTop1, double quantizedTop1, long samples, QuantizeResult quantized) {}

  /**
   * The compiled integer model on the CVM executor (exact integer semantics) against the float
   * model, as the evaluate stage measures them.
   */
  static io.mrt.runtime.stage.evaluate.EvalResult measureCvm(String name, Model model, QuantizeResult q, ImageSet test,
      Preprocessing p, int batch) {
    io.mrt.runtime.io.cvm.CvmModel compiled = io.mrt.runtime.stage.compile.CvmCompiler.compile(q.model(), OPS, p.batchShape(batch));
    return io.mrt.runtime.stage.evaluate.Evaluator.evaluate(name, BatchIterator.all(test, p, batch), new FloatExecutor(model, OPS),
        io.mrt.runtime.exec.cvm.CvmExecutor.load(compiled, name),
        new io.mrt.runtime.stage.InputQuantization(q.inputScale(), q.inputPrecision()));
  }

  private ModelAccuracy() {}

  static Model load(String folder) {
    return MxnetModels.loadRunnable(ModelFiles.locate(SharedDir.get().resolve("models").resolve(folder)));
  }

  /** The fixed (names unified, prefixes removed) and prepared models, as the prepare stage makes them. */
  record Prepared(Model fixed, Model prepared) {}

  static Prepared prepare(String folder, io.mrt.api.graph.Shape inputShape) {
    Model original = MxnetModels.load(ModelFiles.locate(SharedDir.get().resolve("models").resolve(folder)));
    io.mrt.runtime.pass.PassContext ctx = new io.mrt.runtime.pass.PassContext(OPS);
    Model fixed = new io.mrt.runtime.pass.PassManager(io.mrt.runtime.stage.prepare.PreparePasses.fixOriginal()).run(original, ctx);
    Model prepared = new io.mrt.runtime.pass.PassManager(io.mrt.runtime.stage.prepare.PreparePasses.init(inputShape)).run(fixed, ctx);
    return new Prepared(fixed, prepared);
  }

  static ImageSet data(String dataset, Split split, Preprocessing p) {
    Path dir = SharedDir.get().resolve("data").resolve(dataset);
    return Datasets.load(dataset.startsWith("cifar") ? "cifar10" : "mnist", dir, split, p);
  }

  static QuantizeResult quantize(Model model, ImageSet calib, Preprocessing p, CalibrateOptions c, QuantizeOptions q) {
    Iterator<INDArray> batches = new Iterator<>() {
      final BatchIterator it = BatchIterator.of(calib, p, c.batch(), c.numCalib());

      @Override
      public boolean hasNext() {
        return it.hasNext();
      }

      @Override
      public INDArray next() {
        return it.next().data();
      }
    };
    Map<String, Double> th = new Calibrator(OPS).run(model, batches, c.numCalib(), c.calibrationMethod());
    return new QuantizePass(OPS).run(model, th, q, Map.of("data", io.mrt.api.graph.Shape.of(p.batchShape(1))));
  }

  static Figures measure(Model model, QuantizeResult q, ImageSet test, Preprocessing p, int batch) {
    FloatExecutor fp = new FloatExecutor(model, OPS);
    IntegerSimulation sim = IntegerSimulation.of(q, OPS);
    return measure(x -> fp.run(x).get(0), x -> sim.run(x).get(0), test, p, batch, q);
  }

  static Figures measure(Function<INDArray, INDArray> fp, Function<INDArray, INDArray> quant, ImageSet test,
      Preprocessing p, int batch, QuantizeResult q) {
    ClassificationAccuracy f = new ClassificationAccuracy();
    ClassificationAccuracy i = new ClassificationAccuracy();
    BatchIterator it = BatchIterator.all(test, p, batch);
    while (it.hasNext()) {
      Batch b = it.next();
      f.update(fp.apply(b.data()), b.labels());
      i.update(quant.apply(b.data()), b.labels());
    }
    return new Figures(f.top1(), i.top1(), f.total(), q);
  }

  /** The compiled model's top-1 and its agreement with real MXNet's float predictions. */
  record CvmFigures(double top1, double mxnetAgreement, long samples) {}

  /**
   * Runs only the compiled integer model (CVM executor) on the test set; the float reference is
   * real MXNet's prediction file {@code mxnet_predictions_t10k.txt} ({@code <label> <argmax>} per
   * image), whose top-1 is MODEL.md's figure.
   */
  static CvmFigures cvmOnly(String folder, QuantizeResult q, ImageSet test, Preprocessing p, int batch) throws java.io.IOException {
    java.util.List<String> lines = java.nio.file.Files.readAllLines(
        SharedDir.get().resolve("models").resolve(folder).resolve("mxnet_predictions_t10k.txt"));
    io.mrt.runtime.io.cvm.CvmModel compiled = io.mrt.runtime.stage.compile.CvmCompiler.compile(q.model(), OPS, p.batchShape(batch));
    io.mrt.runtime.exec.cvm.CvmExecutor cvm = io.mrt.runtime.exec.cvm.CvmExecutor.load(compiled, folder);
    io.mrt.runtime.stage.InputQuantization in =
        new io.mrt.runtime.stage.InputQuantization(q.inputScale(), q.inputPrecision());
    long correct = 0;
    long agree = 0;
    long n = 0;
    BatchIterator it = BatchIterator.all(test, p, batch);
    while (it.hasNext()) {
      Batch b = it.next();
      int[] x = java.util.Arrays.copyOf(in.apply(b.data()), (int) java.util.Arrays.stream(p.batchShape(batch)).reduce(1, (a, c) -> a * c));
      int[] y = cvm.run(x).outputs().get(0).values();
      int classes = y.length / batch;
      for (int i = 0; i < b.size(); i++) {
        int best = 0;
        for (int c = 1; c < classes; c++) {
          if (y[i * classes + c] > y[i * classes + best]) {
            best = c;
          }
        }
        String[] ref = lines.get(b.offset() + i).trim().split("\\s+");
        correct += best == b.label(i) ? 1 : 0;
        agree += best == Integer.parseInt(ref[1]) ? 1 : 0;
        n++;
      }
    }
    return new CvmFigures((double) correct / n, (double) agree / n, n);
  }
}

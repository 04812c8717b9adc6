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
  static io.mrt.runtime.stage.EvalResult measureCvm(String name, Model model, QuantizeResult q, ImageSet test,
      Preprocessing p, int batch) {
    io.mrt.runtime.io.cvm.CvmModel compiled = io.mrt.runtime.stage.CvmCompiler.compile(q.model(), OPS, p.batchShape(batch));
    return io.mrt.runtime.stage.Evaluator.evaluate(name, BatchIterator.all(test, p, batch), new FloatExecutor(model, OPS),
        io.mrt.runtime.exec.cvm.CvmExecutor.load(compiled, name),
        new io.mrt.runtime.stage.Evaluator.InputQuantization(q.inputScale(), q.inputPrecision()));
  }

  private ModelAccuracy() {}

  static Model load(String folder) {
    return MxnetModels.loadRunnable(ModelFiles.locate(SharedDir.get().resolve("models").resolve(folder)));
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
}

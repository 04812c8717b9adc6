package io.mrt.runtime.stage.evaluate;

import io.mrt.api.data.DatasetMetric;
import io.mrt.runtime.MrtException;
import io.mrt.runtime.data.Batch;
import io.mrt.runtime.data.BatchIterator;
import io.mrt.runtime.data.ClassificationAccuracy;
import io.mrt.runtime.data.TopOneAgreement;
import io.mrt.runtime.exec.cvm.CvmExecutor;
import io.mrt.runtime.exec.cvm.CvmResult;
import io.mrt.runtime.exec.fp.FloatExecutor;
import io.mrt.runtime.progress.Progress;
import io.mrt.runtime.stage.InputQuantization;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Runs the float model (float executor) and the compiled integer model (CVM executor, exact integer
 * semantics) on the same batches and measures top-1/top-5 of both (MRT's {@code multi_validate}).
 *
 * <p>The integer input is MRT's {@code load_real_data}: {@code clip(round(x * s), +-(2^(p-1)-1))}
 * with round half away from zero, where {@code s} and {@code p} are the scale and precision of
 * {@code data}. Integer outputs are divided by the output scale; the classes rank the same.
 * The CVM model has a fixed batch: a last, smaller batch is padded with zeros and the padding is
 * ignored.
 */
public final class Evaluator {
  private Evaluator() {}

  /** Batches waiting between two steps of the evaluation. */
  static final int QUEUE = 2;

  /** A batch on its way: decoded and quantized, then with the float scores. */
  private record Work(Batch batch, int[] quantized, double[][] floatScores) {}

  /**
   * Evaluates both models on every batch of {@code batches}. {@code cvm} must have been compiled
   * for the batch size of {@code batches}; output 0 of both models holds the class scores.
   *
   * <p>Decoding (with the input quantization), the float forward and the CVM forward of one batch
   * overlap with the others' on three threads joined by queues of {@link #QUEUE} batches, so at
   * most a dozen batches are alive whatever the test set's size. Each step takes the batches in
   * order, so the figures are those of a plain loop.
   */
  public static EvalResult evaluate(String model, BatchIterator batches, FloatExecutor fp, CvmExecutor cvm,
      InputQuantization input) {
    return evaluate(model, batches, fp, cvm, input, java.util.Optional::empty);
  }

  /**
   * As {@link #evaluate(String, BatchIterator, FloatExecutor, CvmExecutor, InputQuantization)}, with
   * the data set's own metric ({@code metric} gives a fresh instance per model, or empty) updated on
   * every image for both models.
   */
  public static EvalResult evaluate(String model, BatchIterator batches, FloatExecutor fp, CvmExecutor cvm,
      InputQuantization input, java.util.function.Supplier<java.util.Optional<DatasetMetric>> metric) {
    java.util.Optional<DatasetMetric> floatMetric = metric.get();
    java.util.Optional<DatasetMetric> quantMetric = floatMetric.isPresent() ? metric.get() : java.util.Optional.empty();
    long[] cvmShape = cvm.inputShape();
    if (cvmShape[0] != batches.batchSize()) {
      throw new MrtException("model " + model + ": the compiled model's batch is " + cvmShape[0]
          + ", but the evaluation batch is " + batches.batchSize());
    }
    ClassificationAccuracy floatAcc = new ClassificationAccuracy();
    ClassificationAccuracy quantAcc = new ClassificationAccuracy();
    TopOneAgreement agreement = new TopOneAgreement();
    Iterator<Work> decoded = new Iterator<>() {
      @Override
      public boolean hasNext() {
        return batches.hasNext();
      }

      @Override
      public Work next() {
        Batch b = batches.next();
        return new Work(b, pad(input.apply(b.data()), cvmShape), null);
      }
    };
    Function<Object, Object> floatForward = o -> {
      Work w = (Work) o;
      INDArray x = w.batch().data();
      List<INDArray> heads = fp.run(x);
      double[][] fs = scores(heads.get(0), w.batch().size());
      if (x.closeable() && heads.stream().noneMatch(h -> h == x)) {
        x.close(); // its native memory goes now, not at the next garbage collection
      }
      return new Work(w.batch(), w.quantized(), fs);
    };
    try (Progress progress = Progress.start("evaluate " + model, batches.numSamples(), "images")) {
      Overlapped.<Work>run("evaluate", decoded, List.of(floatForward), w -> {
        Batch b = w.batch();
        CvmResult r = cvm.run(w.quantized());
        CvmResult.Output out = r.outputs().get(0);
        int classes = (int) (out.values().length / cvmShape[0]);
        for (int i = 0; i < b.size(); i++) {
          double[] qs = new double[classes];
          for (int c = 0; c < classes; c++) {
            qs[c] = out.values()[i * classes + c];
          }
          floatAcc.update(w.floatScores()[i], b.label(i));
          quantAcc.update(qs, b.label(i));
          agreement.update(w.floatScores()[i], qs);
          if (floatMetric.isPresent() && quantMetric.isPresent()) {
            floatMetric.get().update(w.floatScores()[i], b.label(i));
            quantMetric.get().update(qs, b.label(i));
          }
        }
        progress.step(b.size());
      }, QUEUE);
    }
    long total = floatAcc.total();
    java.util.Optional<EvalResult.Metric> own = floatMetric.isPresent() && quantMetric.isPresent()
        ? java.util.Optional.of(new EvalResult.Metric(floatMetric.get().name(), floatMetric.get().value(),
            quantMetric.get().value()))
        : java.util.Optional.empty();
    return new EvalResult(model, floatAcc.top1(), floatAcc.top5(), quantAcc.top1(), quantAcc.top5(), total,
        agreement.value(), own);
  }

  private static int[] pad(int[] q, long[] shape) {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    if (q.length == n) {
      return q;
    }
    int[] p = new int[(int) n];
    System.arraycopy(q, 0, p, 0, q.length);
    return p;
  }

  private static double[][] scores(INDArray out, int n) {
    INDArray o = out.castTo(DataType.DOUBLE).reshape(out.size(0), out.length() / out.size(0));
    double[][] s = new double[n][];
    for (int i = 0; i < n; i++) {
      s[i] = o.getRow(i).toDoubleVector();
    }
    return s;
  }

  static int argmax(double[] v) {
    return TopOneAgreement.argmax(v);
  }
}

package io.mrt.runtime.stage.evaluate;

import java.util.Locale;

/**
 * The figures of an evaluation: top-1 and top-5 of the float model and of the compiled integer
 * model on the same samples. {@link #line()} prints them in MRT's results form,
 * {@link #agreementLine()} how often the two models agree.
 *
 * @param model the model name
 * @param floatTop1 float top-1 accuracy in [0, 1]
 * @param floatTop5 float top-5 accuracy in [0, 1]
 * @param quantTop1 integer (CVM) top-1 accuracy in [0, 1]
 * @param quantTop5 integer (CVM) top-5 accuracy in [0, 1]
 * @param total the number of samples
 * @param agreement the fraction of samples whose float and integer top-1 classes agree
 * @param metric the data set's own metric for both models, if its provider has one
 */
public record EvalResult(String model, double floatTop1, double floatTop5, double quantTop1, double quantTop5,
    long total, double agreement, java.util.Optional<Metric> metric) {
  /**
   * A data set's own metric (DatasetProvider#newMetric) over the same samples.
   *
   * @param name its name
   * @param floatValue the float model's value, a fraction
   * @param quantValue the quantized model's value, a fraction
   */
  public record Metric(String name, double floatValue, double quantValue) {}

  /** The figures of a data set without a metric of its own. */
  public EvalResult(String model, double floatTop1, double floatTop5, double quantTop1, double quantTop5, long total,
      double agreement) {
    this(model, floatTop1, floatTop5, quantTop1, quantTop5, total, agreement, java.util.Optional.empty());
  }

  /**
   * {@code <model>: <metric>: evalfunc=97.12% | quantize=97.05%}, for a data set with a metric of its
   * own; empty otherwise.
   */
  public java.util.Optional<String> metricLine() {
    return metric.map(m -> String.format(Locale.ROOT, "%s: %s: evalfunc=%.2f%% | quantize=%.2f%%", model, m.name(),
        100 * m.floatValue(), 100 * m.quantValue()));
  }
  /**
   * {@code <model>: evalfunc: top1=99.03% top5=100.00% | quantize: top1=98.99% top5=100.00% | Total Sample: 10000}.
   */
  public String line() {
    return String.format(Locale.ROOT,
        "%s: evalfunc: top1=%.2f%% top5=%.2f%% | quantize: top1=%.2f%% top5=%.2f%% | Total Sample: %d",
        model, 100 * floatTop1, 100 * floatTop5, 100 * quantTop1, 100 * quantTop5, total);
  }

  /** The number of samples whose float and integer top-1 classes agree. */
  public long agreed() {
    return Math.round(agreement * total);
  }

  /**
   * {@code <model>: top1 agreement of float and quantize: 99.80% (9980 of 10000)}: the share of
   * samples where the float and the quantized model pick the same class.
   */
  public String agreementLine() {
    return String.format(Locale.ROOT, "%s: top1 agreement of float and quantize: %.2f%% (%d of %d)", model,
        100 * agreement, agreed(), total);
  }
}

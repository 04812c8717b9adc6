package io.mrt.runtime.stage.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class EvalResultTest {
  @Test
  void lineHasMrtsResultsForm() {
    EvalResult r = new EvalResult("mnist_dapp", 0.9903, 1.0, 0.9899, 1.0, 10000, 0.998);
    assertEquals("mnist_dapp: evalfunc: top1=99.03% top5=100.00% | quantize: top1=98.99% top5=100.00% "
        + "| Total Sample: 10000", r.line());
  }

  @Test
  void percentagesRoundToTwoDecimals() {
    EvalResult r = new EvalResult("m", 2.0 / 3, 0.99995, 1.0 / 3, 0.5, 3, 1);
    assertEquals("m: evalfunc: top1=66.67% top5=100.00% | quantize: top1=33.33% top5=50.00% | Total Sample: 3",
        r.line());
  }

  @Test
  void agreementLineGivesTheShareAndTheCountOfSamplesWhereFloatAndQuantizedAgree() {
    EvalResult r = new EvalResult("resnet18_v1", 0.001, 0.005, 0.002, 0.004, 1000, 0.973);
    assertEquals(973, r.agreed());
    assertEquals("resnet18_v1: top1 agreement of float and quantize: 97.30% (973 of 1000)", r.agreementLine());
    assertEquals("m: top1 agreement of float and quantize: 66.67% (2 of 3)",
        new EvalResult("m", 1, 1, 1, 1, 3, 2.0 / 3).agreementLine());
  }

  @Test
  void aDataSetsOwnMetricGetsALineOfItsOwnAndNoneWithoutOne() {
    EvalResult r = new EvalResult("lenet", 0.95, 0.99, 0.94, 0.99, 160, 0.99,
        java.util.Optional.of(new EvalResult.Metric("balanced_top1", 0.9512, 2.0 / 3)));
    assertEquals(java.util.Optional.of("lenet: balanced_top1: evalfunc=95.12% | quantize=66.67%"), r.metricLine());
    assertEquals(java.util.Optional.empty(), new EvalResult("m", 1, 1, 1, 1, 3, 1).metricLine());
  }
}

package io.mrt.runtime.exec.cvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mrt.runtime.VectorApi;
import io.mrt.runtime.testutil.SharedDir;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every case of ../shared/cvm-conformance (computed by the reference C++ runtime): valid cases
 * match every output bit for bit, reject-* cases are refused at load, runfail-* cases load and fail
 * at inference (our documented decision for cvm_left_shift).
 */
class CvmConformanceTest {
  private static final Path DIR = SharedDir.get().resolve("cvm-conformance");

  @Test
  void theSuiteHolds394Cases() {
    assertTrue(Files.isDirectory(DIR), "conformance folder not found: " + DIR);
    assertEquals(394, CvmConformance.cases(DIR).size());
  }

  @Test
  void theVectorApiIsPresentSoThePackedKernelsAreTheVectorOnes() {
    assertTrue(VectorApi.AVAILABLE, "run with --add-modules jdk.incubator.vector");
  }

  /** Every kernel variant on 1, 2 and 3 threads (3 splits tiles unevenly) passes every case. */
  @ParameterizedTest(name = "{0} on {1} thread(s)")
  @MethodSource("variants")
  void everyKernelVariantAndThreadCountPassesEveryCase(CvmExecutor.ConvKernel kernel, int threads) {
    CvmExecutor.Options opts = new CvmExecutor.Options(threads, kernel);
    List<String> failed = CvmConformance.cases(DIR).stream().map(c -> CvmConformance.check(c, opts))
        .filter(o -> !o.passed()).map(o -> o.name() + ": " + o.detail()).toList();
    assertEquals(List.of(), failed);
  }

  static Stream<Arguments> variants() {
    return Stream.of(CvmExecutor.ConvKernel.values())
        .flatMap(k -> Stream.of(1, 2, 3).map(t -> Arguments.of(k, t)));
  }

  @TestFactory
  Stream<DynamicTest> everyCaseBehavesAsTheReferenceRuntime() {
    List<Path> cases = CvmConformance.cases(DIR);
    CvmExecutor.Options opts = CvmExecutor.Options.threads(2);
    return cases.stream().map(c -> DynamicTest.dynamicTest(c.getFileName().toString(), () -> {
      CvmConformance.Outcome o = CvmConformance.check(c, opts);
      assertTrue(o.passed(), o.detail());
    }));
  }
}

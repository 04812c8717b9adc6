package io.mrt.runtime.exec.cvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mrt.runtime.testutil.SharedDir;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

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
  void theNaiveSingleThreadedConvKernelPassesEveryCaseToo() {
    CvmExecutor.Options naive = new CvmExecutor.Options(1, CvmExecutor.ConvKernel.NAIVE);
    List<String> failed = CvmConformance.cases(DIR).stream().map(c -> CvmConformance.check(c, naive))
        .filter(o -> !o.passed()).map(o -> o.name() + ": " + o.detail()).toList();
    assertEquals(List.of(), failed);
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

package io.mrt.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The MNIST test set kept in the repository for {@code ./mrt demo} is the canonical one. */
class DemoDataTest {
  /** demo/data/mnist, from the module folder or the repository root. */
  static Path demoMnist() {
    Path fromModule = Path.of("../demo/data/mnist");
    return Files.isDirectory(fromModule) ? fromModule : Path.of("demo/data/mnist");
  }

  @Test
  void repositoryMnistTestSetIsTheCanonicalOne() {
    ImageSet set = Datasets.load("mnist", demoMnist(), Split.TEST, Preprocessing.divideBy255(-1, 1, 28, 28));
    assertEquals(10_000, set.count());
    assertArrayEquals(new int[] {7, 2, 1, 0, 4, 1, 4, 9, 5, 9}, Arrays.copyOf(set.labels(), 10));
    assertArrayEquals(new int[] {980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009}, set.labelCounts());
    assertEquals(18_454, IdxReaderTest.pixelSum(set, 0));
    long total = 0;
    for (int i = 0; i < set.count(); i++) {
      total += IdxReaderTest.pixelSum(set, i);
    }
    assertEquals(264_923_200L, total);
  }
}

package io.mrt.annotations.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class SpellingTest {
  @Test
  void distanceCountsInsertionsDeletionsAndSubstitutions() {
    assertEquals(0, Spelling.distance("mnist", "mnist"));
    assertEquals(1, Spelling.distance("cifar100", "cifar10"));
    assertEquals(2, Spelling.distance("minst", "mnist"));
    assertEquals(3, Spelling.distance("", "voc"));
    assertEquals(3, Spelling.distance("kitten", "sitting"));
    assertEquals(1, Spelling.distance("conv2d", "conv3d"));
  }

  @Test
  void closestIsTheNearestCandidateWithinTheLimitFirstOnATie() {
    List<String> keys = List.of("INPUT_SHAPE", "INPUT_NAME", "DEVICE_TYPE");
    assertEquals("INPUT_NAME", Spelling.closest("INPUT_NAM", keys, Integer.MAX_VALUE));
    assertEquals("INPUT_SHAPE", Spelling.closest("INPUT_SHAPEX", keys, 1));
    assertNull(Spelling.closest("WEIGHTS", keys, 2));
    assertEquals("ab", Spelling.closest("a", List.of("ab", "ac"), 1));
    assertNull(Spelling.closest("x", List.of(), Integer.MAX_VALUE));
  }
}

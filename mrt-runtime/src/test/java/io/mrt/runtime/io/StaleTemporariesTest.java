package io.mrt.runtime.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mrt.runtime.io.cvm.CvmModelReader;
import io.mrt.runtime.io.cvm.CvmModelWriter;
import io.mrt.runtime.io.npy.NpyArray;
import io.mrt.runtime.io.npy.NpyReader;
import io.mrt.runtime.io.npy.NpyWriter;
import io.mrt.runtime.testutil.SharedDir;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an interrupted (killed) writer leaves next to its target is removed by the next write of
 * the same target, and a live concurrent writer's temporaries are kept.
 */
class StaleTemporariesTest {
  /** A process id no live process has (ids are far below 2^62 on every system). */
  private static final long DEAD = 1L << 62;
  private static final long LIVE = ProcessHandle.current().parent().orElseThrow().pid();

  @TempDir Path dir;

  private List<String> names() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void aKilledFileWriteIsCleanedUpByTheNextWriteOfTheSameFile() throws IOException {
    Files.writeString(dir.resolve(".model.params.~" + DEAD + "~123.tmp"), "half");
    Files.writeString(dir.resolve(".model.params4711.tmp"), "half, older naming");
    Files.writeString(dir.resolve(".model.params.~" + LIVE + "~77.tmp"), "a live writer");
    Files.writeString(dir.resolve(".other.params.~" + DEAD + "~1.tmp"), "another target's");
    AtomicFiles.write(dir.resolve("model.params"), out -> out.write("new".getBytes(StandardCharsets.UTF_8)));
    assertEquals(List.of(".model.params.~" + LIVE + "~77.tmp", ".other.params.~" + DEAD + "~1.tmp", "model.params"),
        names());
    assertEquals("new", Files.readString(dir.resolve("model.params")));
  }

  @Test
  void aKilledCompileLeavesFoldersThatTheNextCompileRemoves() throws IOException {
    Path abs = SharedDir.get().resolve("cvm-conformance/abs-00");
    Path target = dir.resolve("lenet_cvm");
    Path stale = dir.resolve(".lenet_cvm.~" + DEAD + "~new-0b6f1a8e-2f0c-4d8e-9a51-0d3c2a7f11aa.tmp");
    Path older = dir.resolve(".lenet_cvm.tmp-0b6f1a8e-2f0c-4d8e-9a51-0d3c2a7f11aa");
    for (Path p : List.of(stale, older)) {
      Files.createDirectories(p);
      Files.writeString(p.resolve("symbol"), "{\"half\":");
    }
    CvmModelWriter.write(target, CvmModelReader.read(abs), null, null);
    assertEquals(List.of("lenet_cvm"), names());
    assertEquals(Files.readString(abs.resolve("symbol")).replaceAll("\\s", ""),
        Files.readString(target.resolve("symbol")).replaceAll("\\s", ""));
  }

  @Test
  void aKilledNpyWriteIsCleanedUpAndNeverReadAsTheResult() throws IOException {
    Path y = dir.resolve("y.npy");
    Files.writeString(dir.resolve(".y.npy.~" + DEAD + "~9.tmp"), "half");
    Files.writeString(dir.resolve(".y.npy.12.tmp"), "half, older naming");
    NpyWriter.write(y, NpyArray.ofInt8(new long[] {2}, new int[] {3, -4}));
    assertEquals(List.of("y.npy"), names());
    assertArrayEquals(new int[] {3, -4}, NpyReader.read(y).toIntArray());
    assertFalse(Files.exists(dir.resolve(".y.npy.12.tmp")));
    assertTrue(AtomicFiles.tempPrefix(y).startsWith(".y.npy.~"));
  }
}

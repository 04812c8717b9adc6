package io.mrt.runtime.io.cvm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mrt.runtime.MrtException;
import io.mrt.runtime.io.npy.NpyArray;
import io.mrt.runtime.io.npy.NpyReader;
import io.mrt.runtime.testutil.CvmExamples;
import io.mrt.runtime.testutil.SharedDir;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CvmModelIoTest {
  static CvmModel example() {
    return CvmExamples.example();
  }

  @Test
  void theBuilderLaysOutTheGraphAsTheCompilerDoes() {
    CvmGraph g = example().graph();
    assertEquals(List.of(0, 1, 2), g.argNodes());
    assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L), g.nodeRowPtr());
    assertEquals("dense_0", g.nodes().get(3).name());
    assertEquals(Map.of("flatten_data", "0", "func_name", "dense", "num_inputs", "3", "num_outputs", "1"),
        g.nodes().get(3).attrs());
    assertEquals("{\"units\":\"3\",\"use_bias\":\"True\"}", g.attrs().opAttrs().get(3));
    assertEquals(List.of(8, 8, 8, -1, -1), g.attrs().precision());
    // the variables keep their own storage; cvm_right_shift writes over dense's output, read only by it
    assertEquals(List.of(0, 1, 2, 3, 3), g.attrs().storageId());
    assertEquals("cvm_1.0.0", g.version());
  }

  @Test
  void symbolRoundTripsThroughTheWriterAndReader() {
    CvmGraph g = example().graph();
    String json = CvmSymbolWriter.toJson(g);
    assertEquals(g, CvmSymbolReader.parse(json, "symbol"));
    assertTrue(json.contains("\"shape\": [\"list_shape\", [[2, 4], [3, 4], [3], [2, 3], [2, 3]]]"), json);
  }

  @Test
  void readsEveryValidConformanceSymbolAndWritesItBackEqual() throws IOException {
    try (Stream<Path> s = Files.list(SharedDir.get().resolve("cvm-conformance"))) {
      for (Path c : s.filter(p -> !p.getFileName().toString().startsWith("reject")).sorted().toList()) {
        if (!Files.isDirectory(c)) {
          continue;
        }
        CvmGraph g = CvmSymbolReader.read(c.resolve("symbol"));
        assertEquals(g, CvmSymbolReader.parse(CvmSymbolWriter.toJson(g), c.toString()), c.toString());
      }
    }
  }

  @Test
  void symbolErrorsNameTheFileAndThePath() {
    MrtException e = assertThrows(MrtException.class, () -> CvmSymbolReader.parse(
        "{\"nodes\": [{\"op\": \"null\", \"name\": \"data\", \"inputs\": [], \"control_deps\": []}], \"heads\": [], "
            + "\"attrs\": {}}", "m/symbol"));
    assertEquals("m/symbol: at nodes[0].control_deps: expected only the node keys op, name, inputs, attrs, precision, "
        + "found unsupported key 'control_deps'", e.getMessage());
    MrtException syntax = assertThrows(MrtException.class, () -> CvmSymbolReader.parse("{\"nodes\": [", "s"));
    assertTrue(syntax.getMessage().startsWith("s: invalid JSON at line 1"), syntax.getMessage());
    MrtException tag = assertThrows(MrtException.class, () -> CvmSymbolReader.parse(
        "{\"nodes\": [], \"heads\": [], \"attrs\": {\"storage_id\": [\"list_str\", []]}}", "t"));
    assertEquals("t: at attrs.storage_id[0]: expected the type tag \"list_int\", found \"list_str\"", tag.getMessage());
  }

  @Test
  void writesAModelDirectoryWithSymbolParamsDataAndExt(@TempDir Path tmp) throws IOException {
    Path dir = tmp.resolve("lenet_cvm");
    NpyArray data = NpyArray.ofInt8(new long[] {2, 4}, new int[] {1, 2, 3, 4, 5, 6, 7, 8});
    CvmExt ext = new CvmExt(Map.of("data", new CvmExt.InputExt(127.0, 8)), List.of(0.25),
        Map.of("data", List.of(2L, 4L)));
    CvmModelWriter.write(dir, example(), data, ext);
    CvmModel back = CvmModelReader.read(dir);
    assertEquals(example().graph(), back.graph());
    assertArrayEquals(new int[] {10, -10, 0}, back.params().asMap().get("dense0_bias").toIntArray());
    assertArrayEquals(new int[] {1, 2, 3, 4, 5, 6, 7, 8}, NpyReader.read(dir.resolve("data.npy")).toIntArray());
    assertEquals("{\"data\":{\"scale\":127.0,\"target_bit\":8}}\n[0.25]\n{\"data\":[2,4]}\n",
        Files.readString(dir.resolve("ext"), StandardCharsets.UTF_8));
    assertEquals(ext, CvmModelReader.readExt(dir));
    try (Stream<Path> s = Files.list(tmp)) {
      assertEquals(List.of(dir), s.toList(), "no temporary directory is left behind");
    }
  }

  @Test
  void replacesAnExistingModelDirectoryOnlyWhenTheNewOneIsComplete(@TempDir Path tmp) throws IOException {
    Path dir = tmp.resolve("m_cvm");
    CvmModelWriter.write(dir, example(), null, null);
    assertFalse(Files.exists(dir.resolve("data.npy")));
    CvmGraph g = example().graph();
    CvmParams bad = CvmParams.of(Map.of("w", new CvmTensor(1, 0, CvmTensor.KDL_FLOAT, 32, 1, new long[] {1}, null)));
    assertThrows(MrtException.class, () -> CvmModelWriter.write(dir, new CvmModel(g, bad), null, null));
    assertEquals(example().graph(), CvmModelReader.read(dir).graph(), "the old model is untouched");
    try (Stream<Path> s = Files.list(tmp)) {
      assertEquals(List.of(dir), s.toList(), "the failed write left nothing behind");
    }
    Path fresh = tmp.resolve("never_cvm");
    assertThrows(MrtException.class, () -> CvmModelWriter.write(fresh, new CvmModel(g, bad), null, null));
    assertFalse(Files.exists(fresh));
  }

  @Test
  void readingAMissingModelNamesTheFolder(@TempDir Path tmp) {
    MrtException e = assertThrows(MrtException.class, () -> CvmModelReader.read(tmp.resolve("nope")));
    assertTrue(e.getMessage().startsWith(tmp.resolve("nope") + ": expected a compiled CVM model directory"),
        e.getMessage());
    assertNull(example().graph().postprocess());
  }
}

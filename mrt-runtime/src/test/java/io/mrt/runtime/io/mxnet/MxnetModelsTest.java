package io.mrt.runtime.io.mxnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Graph;
import io.mrt.api.graph.Model;
import io.mrt.api.graph.Node;
import io.mrt.runtime.MrtException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class MxnetModelsTest {
  @TempDir
  Path dir;

  private ModelFiles write(Map<String, INDArray> params, String wShape) {
    Node data = Node.variable("data", Attrs.empty());
    Node w = Node.variable("w", Attrs.of("__shape__", wShape));
    Node b = Node.variable("b", Attrs.empty());
    Node fc = Node.op("FullyConnected", "fc", Attrs.of("num_hidden", "2"), data.out(), w.out(), b.out());
    ModelFiles files = new ModelFiles(dir.resolve("m-symbol.json"), dir.resolve("m-0000.params"));
    MxnetModels.save(MxnetSymbol.of(Graph.of(fc.out())), params, files);
    return files;
  }

  private static INDArray zeros(long... shape) {
    return Nd4j.zeros(DataType.FLOAT, shape);
  }

  @Test
  void loadKeepsPrefixesAndLoadRunnableStripsThem() {
    Map<String, INDArray> p = new LinkedHashMap<>();
    p.put("arg:w", zeros(2, 3));
    p.put("arg:b", zeros(2));
    ModelFiles files = write(p, "(2, 0)");
    Model raw = MxnetModels.load(files);
    assertEquals(Set.of("arg:w", "arg:b"), raw.params().keySet());
    Model runnable = MxnetModels.loadRunnable(files);
    assertEquals(Set.of("w", "b"), runnable.params().keySet());
    assertEquals(Set.of("data"), runnable.inputNames());
  }

  @Test
  void aMissingParameterNamesTheNodeAndTheFile() {
    ModelFiles files = write(Map.of("arg:w", zeros(2, 3)), "(2, 3)");
    MrtException e = assertThrows(MrtException.class, () -> MxnetModels.load(files));
    assertEquals(files.params() + ": node b (a variable of " + files.symbol() + "): missing parameter: expected 'b', "
        + "'arg:b' or 'aux:b' in the params file, found none", e.getMessage());
  }

  @Test
  void aShapeHintThatDisagreesWithTheParameterIsAnError() {
    Map<String, INDArray> p = new LinkedHashMap<>();
    p.put("arg:w", zeros(2, 4));
    p.put("arg:b", zeros(2));
    ModelFiles files = write(p, "(2, 3)");
    MrtException e = assertThrows(MrtException.class, () -> MxnetModels.load(files));
    assertEquals(files.params() + ": node w: shape mismatch: " + files.symbol() + " declares __shape__ (2, 3), the "
        + "parameter 'arg:w' has shape (2, 4)", e.getMessage());
  }

  @Test
  void prefixCollisionsAreErrors() {
    Map<String, INDArray> p = new LinkedHashMap<>();
    p.put("arg:w", zeros(1));
    p.put("aux:w", zeros(1));
    MrtException e = assertThrows(MrtException.class, () -> ParamPrefixes.strip(p, "x.params"));
    assertEquals("x.params: parameters 'arg:w' and 'aux:w' both become 'w' without their prefix", e.getMessage());
  }

  @Test
  void locateAcceptsJsonPathPrefixesAndFolders() throws IOException {
    Path m = Shared.dir().resolve("models/mnist-lenet-fcrc");
    ModelFiles byJson = ModelFiles.locate(m.resolve("lenet-symbol.json"));
    assertEquals(m.resolve("lenet-0001.params").toAbsolutePath(), byJson.params().toAbsolutePath());
    assertEquals(byJson.params().toAbsolutePath(), ModelFiles.locate(m.resolve("lenet")).params().toAbsolutePath());
    assertEquals(byJson.symbol().toAbsolutePath(), ModelFiles.locate(m).symbol().toAbsolutePath());
    Files.writeString(dir.resolve("net.json"), "{}");
    Files.writeString(dir.resolve("net.params"), "");
    ModelFiles mrt = ModelFiles.locate(dir.resolve("net"));
    assertEquals(dir.resolve("net.params").toAbsolutePath(), mrt.params().toAbsolutePath());
    MrtException e = assertThrows(MrtException.class, () -> ModelFiles.locate(dir.resolve("nothing")));
    assertTrue(e.getMessage().contains("no model found"), e.getMessage());
  }

  @Test
  void aModelWrittenBackReadsTheSame() {
    ModelFiles src = ModelFiles.locate(Shared.dir().resolve("models/cifar-resnet20-v1"));
    Model m = MxnetModels.load(src);
    ModelFiles copy = new ModelFiles(dir.resolve("c-symbol.json"), dir.resolve("c-0000.params"));
    MxnetModels.save(m, copy);
    Model back = MxnetModels.load(copy);
    assertEquals(m.params().keySet(), back.params().keySet());
    assertEquals(m.graph().toString(), back.graph().toString());
    for (String k : m.params().keySet()) {
      assertEquals(m.params().get(k), back.params().get(k), k);
    }
  }
}

package io.mrt.runtime.io.mxnet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Graph;
import io.mrt.api.graph.Node;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SymbolWriterTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  @Test
  void writesArgNodesRowPointersWithHiddenOutputsAndThreeElementEntries() throws IOException {
    Node data = Node.variable("data", Attrs.empty());
    Node gamma = Node.variable("g", Attrs.of("__shape__", "(2,)"));
    Node beta = Node.variable("b", Attrs.empty());
    Node mean = Node.variable("m", Attrs.empty());
    Node var = Node.variable("v", Attrs.empty());
    Node bn = Node.op("BatchNorm", "bn", Attrs.of("eps", "1e-05"), data.out(), gamma.out(), beta.out(), mean.out(),
        var.out());
    Node relu = Node.op("relu", "r", Attrs.empty(), bn.out());
    Path p = dir.resolve("t-symbol.json");
    SymbolWriter.write(MxnetSymbol.of(Graph.of(relu.out())), p);
    JsonNode j = JSON.readTree(p.toFile());
    assertEquals(JSON.readTree("[0,1,2,3,4]"), j.get("arg_nodes"));
    assertEquals(JSON.readTree("[0,1,2,3,4,5,8,9]"), j.get("node_row_ptr"));
    assertEquals(JSON.readTree("[[6,0,0]]"), j.get("heads"));
    assertEquals(JSON.readTree("{\"mxnet_version\":[\"int\",10900]}"), j.get("attrs"));
    assertEquals(JSON.readTree("{\"op\":\"null\",\"name\":\"data\",\"inputs\":[]}"), j.get("nodes").get(0));
    assertEquals(JSON.readTree("{\"op\":\"BatchNorm\",\"name\":\"bn\",\"attrs\":{\"eps\":\"1e-05\"},"
        + "\"inputs\":[[0,0,0],[1,0,0],[2,0,0],[3,0,0],[4,0,0]]}"), j.get("nodes").get(5));
  }

  /**
   * Reading then writing a real model gives back the same JSON document (attrs, entries, row
   * pointers); the only difference allowed is an empty {@code "attrs": {}}, which MXNet omits.
   */
  @ParameterizedTest
  @ValueSource(strings = {"cifar-resnet20-v1/cifar_resnet20_v1-symbol.json", "mnist-mlp-advosbig/net-symbol.json",
      "mnist-cnn-tanh/mnist-symbol.json"})
  void realModelsRoundTripToTheSameJson(String file) throws IOException {
    Path src = Shared.dir().resolve("models").resolve(file);
    Path out = dir.resolve("copy-symbol.json");
    SymbolWriter.write(SymbolReader.read(src), out);
    JsonNode original = JSON.readTree(src.toFile());
    for (JsonNode n : original.get("nodes")) {
      if (n.has("attrs") && n.get("attrs").isEmpty()) {
        ((com.fasterxml.jackson.databind.node.ObjectNode) n).remove("attrs");
      }
    }
    assertEquals(original, JSON.readTree(out.toFile()));
  }
}

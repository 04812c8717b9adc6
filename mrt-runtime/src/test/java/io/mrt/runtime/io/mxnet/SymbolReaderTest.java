package io.mrt.runtime.io.mxnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Graph;
import io.mrt.api.graph.Node;
import io.mrt.runtime.MrtException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SymbolReaderTest {
  @TempDir
  Path dir;

  private Path json(String text) throws IOException {
    Path p = dir.resolve("m-symbol.json");
    Files.writeString(p, text.replace('\'', '"'));
    return p;
  }

  @Test
  void readsNodesEntriesAndGraphAttributes() throws IOException {
    Path p = json("{'nodes': ["
        + "{'op': 'null', 'name': 'data', 'inputs': []},"
        + "{'op': 'null', 'name': 'w', 'attrs': {'__shape__': '(4, 0)'}, 'inputs': []},"
        + "{'op': 'FullyConnected', 'name': 'fc', 'attrs': {'num_hidden': '4', 'no_bias': 'True'},"
        + "  'inputs': [[0, 0, 0], [1, 0]]}],"
        + "'arg_nodes': [0, 1], 'node_row_ptr': [0, 1, 2, 3], 'heads': [[2, 0, 0]],"
        + "'attrs': {'mxnet_version': ['int', 10600]}}");
    MxnetSymbol s = SymbolReader.read(p);
    Graph g = s.graph();
    assertEquals(List.of("data", "w", "fc"), g.nodes().stream().map(Node::name).toList());
    Node fc = g.node("fc").orElseThrow();
    assertEquals("FullyConnected", fc.op());
    assertEquals(Attrs.of("num_hidden", "4", "no_bias", "True"), fc.attrs());
    assertEquals(List.of(g.node("data").orElseThrow().out(), g.node("w").orElseThrow().out()), fc.inputs());
    assertEquals("(4, 0)", g.node("w").orElseThrow().attrs().getString("__shape__"));
    assertEquals(List.of(fc.out()), g.heads());
    assertEquals(Map.of("mxnet_version", "[\"int\",10600]"), s.graphAttrs());
    assertEquals(10600, s.mxnetVersion().orElseThrow());
  }

  @Test
  void legacyAttributeKeysAttrAndParamAreMerged() throws IOException {
    Path p = json("{'nodes': ["
        + "{'op': 'null', 'name': 'data', 'attr': {'__shape__': '(1, 3)'}, 'inputs': []},"
        + "{'op': 'Activation', 'name': 'act', 'param': {'act_type': 'relu'}, 'attr': {'ctx_group': 'a'},"
        + "  'inputs': [[0, 0]]}], 'heads': [[1, 0]]}");
    MxnetSymbol s = SymbolReader.read(p);
    assertEquals(Attrs.of("act_type", "relu", "ctx_group", "a"), s.graph().node("act").orElseThrow().attrs());
    assertEquals("(1, 3)", s.graph().node("data").orElseThrow().attrs().getString("__shape__"));
    assertTrue(s.mxnetVersion().isEmpty());
  }

  @Test
  void multipleOutputsComeFromEntriesAndNumOutputs() throws IOException {
    Path p = json("{'nodes': ["
        + "{'op': 'null', 'name': 'data', 'inputs': []},"
        + "{'op': 'SliceChannel', 'name': 's', 'attrs': {'num_outputs': '3'}, 'inputs': [[0, 0, 0]]},"
        + "{'op': 'elemwise_add', 'name': 'a', 'inputs': [[1, 0, 0], [1, 1, 0]]}],"
        + "'heads': [[2, 0, 0], [1, 2, 0]]}");
    Graph g = SymbolReader.read(p).graph();
    Node s = g.node("s").orElseThrow();
    assertEquals(3, s.numOutputs());
    assertEquals(List.of(g.node("a").orElseThrow().out(), s.out(2)), g.heads());
  }

  @Test
  void anEntryPointingAtALaterNodeIsAnError() throws IOException {
    Path p = json("{'nodes': ["
        + "{'op': 'null', 'name': 'data', 'inputs': []},"
        + "{'op': 'relu', 'name': 'r', 'inputs': [[2, 0, 0]]},"
        + "{'op': 'relu', 'name': 'r2', 'inputs': [[0, 0, 0]]}], 'heads': [[1, 0, 0]]}");
    MrtException e = assertThrows(MrtException.class, () -> SymbolReader.read(p));
    assertEquals(p + ": node 1 (r): input 0: entry [2,0,0] points at node 2, which comes later (an entry must point "
        + "at an earlier node)", e.getMessage());
  }

  @Test
  void anEntryPointingAtAMissingNodeIsAnError() throws IOException {
    Path p = json("{'nodes': [{'op': 'null', 'name': 'data', 'inputs': []},"
        + "{'op': 'relu', 'name': 'r', 'inputs': [[7, 0, 0]]}], 'heads': [[1, 0, 0]]}");
    MrtException e = assertThrows(MrtException.class, () -> SymbolReader.read(p));
    assertEquals(p + ": node 1 (r): input 0: entry [7,0,0] points at node 7, which does not exist (the file has 2 "
        + "nodes)", e.getMessage());
    Path h = json("{'nodes': [{'op': 'null', 'name': 'data', 'inputs': []}], 'heads': [[3, 0, 0]]}");
    e = assertThrows(MrtException.class, () -> SymbolReader.read(h));
    assertEquals(h + ": heads[0]: entry [3,0,0] points at node 3, which does not exist (the file has 1 nodes)",
        e.getMessage());
  }

  @Test
  void malformedFilesNameTheProblem() throws IOException {
    Path broken = json("{'nodes': [");
    MrtException e = assertThrows(MrtException.class, () -> SymbolReader.read(broken));
    assertTrue(e.getMessage().startsWith(broken + ": line 1, column "), e.getMessage());
    assertTrue(e.getMessage().contains("not valid JSON"), e.getMessage());
    Path entry = json("{'nodes': [{'op': 'null', 'name': 'data', 'inputs': []},"
        + "{'op': 'relu', 'name': 'r', 'inputs': [[0]]}], 'heads': [[1, 0, 0]]}");
    e = assertThrows(MrtException.class, () -> SymbolReader.read(entry));
    assertEquals(entry + ": node 1 (r): input 0: expected an entry [node_id, output_index] or [node_id, output_index, "
        + "version], found [0]", e.getMessage());
    Path attr = json("{'nodes': [{'op': 'null', 'name': 'data', 'attrs': {'x': {}}, 'inputs': []}],"
        + "'heads': [[0, 0, 0]]}");
    e = assertThrows(MrtException.class, () -> SymbolReader.read(attr));
    assertEquals(attr + ": node 0 (data): attribute 'x' must be a string, found object", e.getMessage());
    Path noHeads = json("{'nodes': [{'op': 'null', 'name': 'data', 'inputs': []}]}");
    e = assertThrows(MrtException.class, () -> SymbolReader.read(noHeads));
    assertEquals(noHeads + ": expected a non-empty array \"heads\" (the graph outputs), found nothing", e.getMessage());
  }

  @Test
  void readsEveryRealModel() {
    Path models = Shared.dir().resolve("models");
    Graph lenet = SymbolReader.read(models.resolve("mnist-lenet-fcrc/lenet-symbol.json")).graph();
    assertEquals(19, lenet.nodes().size());
    assertEquals(List.of("Convolution", "Activation", "Pooling", "Convolution", "Activation", "Pooling", "Flatten",
        "FullyConnected", "Activation", "FullyConnected"), lenet.ops().stream().map(Node::op).toList());
    Graph resnet = SymbolReader.read(models.resolve("cifar-resnet20-v1/cifar_resnet20_v1-symbol.json")).graph();
    assertEquals(180, resnet.nodes().size());
    assertEquals(21, resnet.ops().stream().filter(n -> n.op().equals("BatchNorm")).count());
  }
}

package io.mrt.runtime.io.mxnet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mrt.api.graph.Entry;
import io.mrt.api.graph.Node;
import io.mrt.runtime.MrtException;
import io.mrt.runtime.io.AtomicFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes MXNet's symbol JSON as {@code symbol.tojson()} does: nodes in topological order with
 * their attributes under {@code attrs} (omitted when empty) and 3-element input entries,
 * {@code arg_nodes} (every variable, arguments and auxiliary states), {@code node_row_ptr} (the
 * prefix sum of each node's output count as MXNet counts it, hidden outputs included), the heads
 * and the graph attributes. The file is written to a temporary name and renamed.
 */
public final class SymbolWriter {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private SymbolWriter() {}

  /** Writes {@code symbol} to {@code path}. */
  public static void write(MxnetSymbol symbol, Path path) {
    String text = toJson(symbol);
    AtomicFiles.write(path, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
  }

  /** The JSON text of {@code symbol}. */
  public static String toJson(MxnetSymbol symbol) {
    List<Node> nodes = symbol.graph().nodes();
    Map<Node, Integer> index = new IdentityHashMap<>();
    ObjectNode root = MAPPER.createObjectNode();
    ArrayNode jnodes = root.putArray("nodes");
    ArrayNode args = MAPPER.createArrayNode();
    ArrayNode rowPtr = MAPPER.createArrayNode();
    long row = 0;
    rowPtr.add(row);
    for (int i = 0; i < nodes.size(); i++) {
      Node n = nodes.get(i);
      index.put(n, i);
      ObjectNode jn = jnodes.addObject();
      jn.put("op", n.op());
      jn.put("name", n.name());
      if (!n.attrs().asMap().isEmpty()) {
        ObjectNode a = jn.putObject("attrs");
        n.attrs().asMap().forEach(a::put);
      }
      ArrayNode ins = jn.putArray("inputs");
      for (Entry e : n.inputs()) {
        ins.add(entry(index, e));
      }
      if (n.isVariable()) {
        args.add(i);
      }
      row += mxnetOutputs(n);
      rowPtr.add(row);
    }
    root.set("arg_nodes", args);
    root.set("node_row_ptr", rowPtr);
    ArrayNode heads = root.putArray("heads");
    for (Entry e : symbol.graph().heads()) {
      heads.add(entry(index, e));
    }
    ObjectNode attrs = root.putObject("attrs");
    symbol.graphAttrs().forEach((k, v) -> {
      try {
        attrs.set(k, MAPPER.readTree(v));
      } catch (JsonProcessingException ex) {
        throw new MrtException("graph attribute '" + k + "': not valid JSON: " + v);
      }
    });
    try {
      return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot format the symbol JSON", e);
    }
  }

  private static JsonNode entry(Map<Node, Integer> index, Entry e) {
    ArrayNode a = MAPPER.createArrayNode();
    Integer id = index.get(e.node());
    if (id == null) {
      throw new IllegalStateException("entry " + e + " points at a node outside the graph order");
    }
    a.add(id).add(e.index()).add(0);
    return a;
  }

  /**
   * The number of outputs MXNet 1.9 allocates for a node, hidden ones included: BatchNorm has
   * three (output, mean, variance), Dropout and LRN two (output and mask or scale).
   */
  static int mxnetOutputs(Node n) {
    int hidden = switch (n.op()) {
      case "BatchNorm" -> 3;
      case "Dropout", "LRN" -> 2;
      default -> 1;
    };
    return Math.max(hidden, n.numOutputs());
  }
}

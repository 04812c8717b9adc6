package io.mrt.runtime.io.mxnet;

import com.fasterxml.jackson.databind.JsonNode;
import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Entry;
import io.mrt.api.graph.Graph;
import io.mrt.api.graph.Node;
import io.mrt.runtime.InputLimits;
import io.mrt.runtime.MrtException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads MXNet's symbol JSON ({@code mx.sym.load}): {@code nodes} (op, name, attributes under
 * {@code attrs}, {@code attr} or {@code param}, and input entries of 2 or 3 integers),
 * {@code heads} and the graph {@code attrs}. {@code arg_nodes} and {@code node_row_ptr} are
 * derived data and ignored, as MXNet does. An entry must point at an earlier node (nodes are
 * topologically ordered); an entry that points at a later or a missing node, a malformed field,
 * a control dependency or a subgraph is an error naming the file and the node.
 *
 * <p>A node's number of outputs is the largest output index any entry uses (plus one), or its
 * {@code num_outputs} attribute when larger.
 */
public final class SymbolReader {
  /** The largest symbol file read. */
  public static final long MAX_BYTES = 256L << 20;

  private SymbolReader() {}

  /** Reads a symbol file. */
  public static MxnetSymbol read(Path path) {
    JsonNode root = InputLimits.parseJson(InputLimits.readAll(path, MAX_BYTES, "symbol file"), path.toString());
    return parse(root, path);
  }

  /** Parses a symbol already read as a JSON tree; {@code source} names it in errors. */
  public static MxnetSymbol parse(JsonNode root, Path source) {
    return new Parser(source).parse(root);
  }

  private record RawNode(String op, String name, Map<String, String> attrs, int[][] inputs) {}

  private static final class Parser {
    private final Path src;

    Parser(Path src) {
      this.src = src;
    }

    private MrtException err(String msg) {
      return new MrtException(src + ": " + msg);
    }

    private MrtException nodeErr(int i, String name, String msg) {
      return err("node " + i + (name == null ? "" : " (" + InputLimits.abbreviate(name) + ")") + ": " + msg);
    }

    MxnetSymbol parse(JsonNode root) {
      if (root == null || !root.isObject()) {
        throw err("expected a JSON object with \"nodes\" and \"heads\", found " + kind(root));
      }
      JsonNode nodes = root.get("nodes");
      if (nodes == null || !nodes.isArray()) {
        throw err("expected an array \"nodes\", found " + kind(nodes));
      }
      int n = nodes.size();
      List<RawNode> raw = new ArrayList<>(n);
      int[] outputs = new int[n];
      for (int i = 0; i < n; i++) {
        RawNode r = rawNode(i, nodes.get(i), n);
        raw.add(r);
        outputs[i] = Math.max(1, declaredOutputs(r));
        for (int[] e : r.inputs()) {
          outputs[e[0]] = Math.max(outputs[e[0]], e[1] + 1);
        }
      }
      JsonNode headsJson = root.get("heads");
      if (headsJson == null || !headsJson.isArray() || headsJson.isEmpty()) {
        throw err("expected a non-empty array \"heads\" (the graph outputs), found " + kind(headsJson));
      }
      List<int[]> heads = new ArrayList<>();
      for (int h = 0; h < headsJson.size(); h++) {
        int[] e = entry(headsJson.get(h), "heads[" + h + "]", n, n, null, -1);
        outputs[e[0]] = Math.max(outputs[e[0]], e[1] + 1);
        heads.add(e);
      }
      Node[] built = new Node[n];
      for (int i = 0; i < n; i++) {
        RawNode r = raw.get(i);
        List<Entry> ins = new ArrayList<>();
        for (int[] e : r.inputs()) {
          ins.add(new Entry(built[e[0]], e[1]));
        }
        built[i] = new Node(r.op(), r.name(), Attrs.of(r.attrs()), ins, outputs[i]);
      }
      List<Entry> headEntries = new ArrayList<>();
      for (int[] e : heads) {
        headEntries.add(new Entry(built[e[0]], e[1]));
      }
      return new MxnetSymbol(new Graph(headEntries), graphAttrs(root.get("attrs")));
    }

    private static int declaredOutputs(RawNode r) {
      String v = r.attrs().get("num_outputs");
      if (v == null) {
        return 1;
      }
      try {
        return Math.max(1, Integer.parseInt(v.trim()));
      } catch (NumberFormatException e) {
        return 1; // the op's own shape inference reports a bad value
      }
    }

    private RawNode rawNode(int i, JsonNode j, int n) {
      if (j == null || !j.isObject()) {
        throw nodeErr(i, null, "expected an object, found " + kind(j));
      }
      String name = text(j, "name", i, null);
      String op = text(j, "op", i, name);
      Map<String, String> attrs = new LinkedHashMap<>();
      for (String key : new String[] {"param", "attr", "attrs"}) {
        JsonNode a = j.get(key);
        if (a == null || a.isNull()) {
          continue;
        }
        if (!a.isObject()) {
          throw nodeErr(i, name, "\"" + key + "\" must be an object of strings, found " + kind(a));
        }
        for (Map.Entry<String, JsonNode> f : a.properties()) {
          if (!f.getValue().isValueNode() || f.getValue().isNull()) {
            throw nodeErr(i, name, "attribute '" + InputLimits.abbreviate(f.getKey()) + "' must be a string, found "
                + kind(f.getValue()));
          }
          attrs.put(f.getKey(), f.getValue().asText());
        }
      }
      JsonNode deps = j.get("control_deps");
      if (deps != null && !(deps.isArray() && deps.isEmpty())) {
        throw nodeErr(i, name, "control dependencies (\"control_deps\") are not supported");
      }
      JsonNode sub = j.get("subgraphs");
      if (sub != null && !(sub.isArray() && sub.isEmpty())) {
        throw nodeErr(i, name, "subgraphs (control-flow ops) are not supported");
      }
      JsonNode inputs = j.get("inputs");
      if (inputs == null || !inputs.isArray()) {
        throw nodeErr(i, name, "expected an array \"inputs\", found " + kind(inputs));
      }
      int[][] ins = new int[inputs.size()][];
      for (int k = 0; k < ins.length; k++) {
        ins[k] = entry(inputs.get(k), "input " + k, i, n, name, i);
      }
      if (Node.VARIABLE.equals(op) && ins.length > 0) {
        throw nodeErr(i, name, "a variable (op \"null\") must have no inputs, found " + ins.length);
      }
      return new RawNode(op, name, attrs, ins);
    }

    private String text(JsonNode j, String key, int i, String name) {
      JsonNode v = j.get(key);
      if (v == null || !v.isTextual()) {
        throw nodeErr(i, name, "expected a string \"" + key + "\", found " + kind(v));
      }
      return v.asText();
    }

    /**
     * An entry [node, output] or [node, output, version]; {@code limit} is the first node id that
     * may not be referenced (the node's own index for inputs, the node count for heads).
     */
    private int[] entry(JsonNode e, String what, int limit, int n, String name, int nodeIndex) {
      String where = nodeIndex >= 0 ? "node " + nodeIndex + " (" + InputLimits.abbreviate(name) + "): " : "";
      if (e == null || !e.isArray() || (e.size() != 2 && e.size() != 3)) {
        throw err(where + what + ": expected an entry [node_id, output_index] or [node_id, output_index, version], "
            + "found " + (e == null ? "nothing" : InputLimits.abbreviate(e)));
      }
      for (int k = 0; k < e.size(); k++) {
        if (!e.get(k).isIntegralNumber() || !e.get(k).canConvertToInt()) {
          throw err(where + what + ": entry " + InputLimits.abbreviate(e) + " must hold integers of 32 bits, found "
              + InputLimits.abbreviate(e.get(k)) + " at position " + k);
        }
      }
      int id = e.get(0).asInt();
      int out = e.get(1).asInt();
      if (id < 0 || id >= n) {
        throw err(where + what + ": entry " + e + " points at node " + id + ", which does not exist (the file has "
            + n + " nodes)");
      }
      if (id >= limit) {
        throw err(where + what + ": entry " + e + " points at node " + id + ", which comes "
            + (id == limit ? "at the same position" : "later") + " (an entry must point at an earlier node)");
      }
      if (out < 0) {
        throw err(where + what + ": entry " + e + " has a negative output index");
      }
      return new int[] {id, out};
    }

    private Map<String, String> graphAttrs(JsonNode a) {
      Map<String, String> m = new LinkedHashMap<>();
      if (a == null || a.isNull()) {
        return m;
      }
      if (!a.isObject()) {
        throw err("graph \"attrs\" must be an object, found " + kind(a));
      }
      for (Map.Entry<String, JsonNode> f : a.properties()) {
        JsonNode v = f.getValue();
        if (!v.isArray() || v.size() != 2 || !v.get(0).isTextual()) {
          throw err("graph attribute '" + InputLimits.abbreviate(f.getKey()) + "' must be a pair [type, value], found "
              + InputLimits.abbreviate(v));
        }
        m.put(f.getKey(), v.toString());
      }
      return m;
    }

    private static String kind(JsonNode j) {
      if (j == null || j.isMissingNode()) {
        return "nothing";
      }
      return j.getNodeType().toString().toLowerCase(java.util.Locale.ROOT)
          + (j.isValueNode() ? " " + InputLimits.abbreviate(j) : "");
    }
  }
}

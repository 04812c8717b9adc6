package io.mrt.runtime.io.cvm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.mrt.runtime.InputLimits;
import io.mrt.runtime.MrtException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the graph JSON ({@code symbol}) of a compiled CVM model with the same structural rules as
 * the reference loader ({@code CvmRuntime::Load}): only the documented keys at the top level, in a
 * node, in a node's {@code attrs} and in the graph {@code attrs}; {@code nodes}, {@code heads} and
 * {@code attrs} required; each graph attribute a {@code [type_tag, value]} pair with the right tag;
 * node {@code op} either {@code null} or {@code cvm_op}. Every refusal is an {@link MrtException}
 * that names the file, the JSON path, what was expected and what was found. Semantic checks
 * (sizes, shapes, precisions, operators) are made by the CVM executor at load.
 */
public final class CvmSymbolReader {
  /** The largest symbol file accepted. */
  static final long MAX_SYMBOL_BYTES = 1L << 30;

  private final String source;

  private CvmSymbolReader(String source) {
    this.source = source;
  }

  /** Reads a {@code symbol} file. */
  public static CvmGraph read(Path file) {
    byte[] bytes = InputLimits.readAll(file, MAX_SYMBOL_BYTES, "symbol file");
    return parse(InputLimits.utf8(bytes, file.toString()), file.toString());
  }

  /** Parses graph JSON text; {@code source} names it in error messages. */
  public static CvmGraph parse(String json, String source) {
    JsonNode root;
    try {
      root = InputLimits.json().readTree(json);
    } catch (JsonProcessingException e) {
      throw new MrtException(source + ": invalid JSON" + (InputLimits.where(e.getLocation()).isEmpty() ? "" : " at "
          + InputLimits.where(e.getLocation()).replaceAll(": $", "")) + ": "
          + InputLimits.abbreviate(e.getOriginalMessage()), e);
    }
    return new CvmSymbolReader(source).graph(root);
  }

  private CvmGraph graph(JsonNode root) {
    if (root == null || !root.isObject()) {
      throw fail("$", "a JSON object", root == null ? "nothing" : root.getNodeType());
    }
    List<CvmNode> nodes = null;
    List<Integer> argNodes = null;
    List<Long> rowPtr = null;
    List<CvmEntryRef> heads = null;
    CvmGraphAttrs attrs = null;
    String version = null;
    String post = null;
    Iterator<Map.Entry<String, JsonNode>> it = root.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> f = it.next();
      String key = f.getKey();
      JsonNode v = f.getValue();
      switch (key) {
        case "nodes": {
          JsonNode arr = array(v, key);
          nodes = new ArrayList<>(arr.size());
          for (int i = 0; i < arr.size(); i++) {
            nodes.add(node(arr.get(i), "nodes[" + i + "]"));
          }
          break;
        }
        case "arg_nodes":
          argNodes = intList(v, key, 0, Integer.MAX_VALUE);
          break;
        case "node_row_ptr": {
          List<Integer> l = intList(v, key, 0, Integer.MAX_VALUE);
          rowPtr = new ArrayList<>(l.size());
          for (int x : l) {
            rowPtr.add((long) x);
          }
          break;
        }
        case "heads": {
          JsonNode arr = array(v, key);
          heads = new ArrayList<>(arr.size());
          for (int i = 0; i < arr.size(); i++) {
            heads.add(entry(arr.get(i), "heads[" + i + "]"));
          }
          break;
        }
        case "attrs":
          attrs = graphAttrs(v);
          break;
        case "version":
          version = string(v, key);
          break;
        case "postprocess":
          post = string(v, key);
          break;
        default:
          throw fail(key, "only the keys nodes, arg_nodes, node_row_ptr, heads, attrs, version, postprocess",
              "unsupported key '" + key + "'");
      }
    }
    if (nodes == null) {
      throw fail("$", "the required key 'nodes'", "no 'nodes'");
    }
    if (heads == null) {
      throw fail("$", "the required key 'heads'", "no 'heads'");
    }
    if (attrs == null) {
      throw fail("$", "the required key 'attrs'", "no 'attrs'");
    }
    return new CvmGraph(nodes, argNodes, rowPtr, heads, attrs, version, post);
  }

  private CvmNode node(JsonNode n, String path) {
    if (!n.isObject()) {
      throw fail(path, "a node object", n.getNodeType());
    }
    String op = null;
    String name = null;
    List<CvmEntryRef> inputs = null;
    Map<String, String> attrs = null;
    Integer precision = null;
    Iterator<Map.Entry<String, JsonNode>> it = n.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> f = it.next();
      String key = f.getKey();
      JsonNode v = f.getValue();
      String p = path + "." + key;
      switch (key) {
        case "op":
          op = string(v, p);
          if (!CvmNode.VARIABLE.equals(op) && !CvmNode.CVM_OP.equals(op)) {
            throw fail(p, "\"cvm_op\" or \"null\" (operator names belong in attrs.func_name)", "\"" + op + "\"");
          }
          break;
        case "name":
          name = string(v, p);
          break;
        case "inputs": {
          JsonNode arr = array(v, p);
          inputs = new ArrayList<>(arr.size());
          for (int i = 0; i < arr.size(); i++) {
            inputs.add(entry(arr.get(i), p + "[" + i + "]"));
          }
          break;
        }
        case "attrs":
          attrs = nodeAttrs(v, p);
          break;
        case "precision":
          precision = integer(v, p, Integer.MIN_VALUE, Integer.MAX_VALUE);
          break;
        default:
          throw fail(p, "only the node keys op, name, inputs, attrs, precision", "unsupported key '" + key + "'");
      }
    }
    if (op == null || name == null || inputs == null) {
      throw fail(path, "the node keys op, name and inputs",
          "missing " + (op == null ? "op" : name == null ? "name" : "inputs"));
    }
    return new CvmNode(op, name, inputs, attrs, precision);
  }

  private Map<String, String> nodeAttrs(JsonNode v, String path) {
    if (!v.isObject()) {
      throw fail(path, "an object of strings", v.getNodeType());
    }
    Map<String, String> m = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> it = v.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> f = it.next();
      String key = f.getKey();
      switch (key) {
        case "func_name": case "num_inputs": case "num_outputs": case "op_attrs": case "flatten_data":
          m.put(key, string(f.getValue(), path + "." + key));
          break;
        default:
          throw fail(path + "." + key, "only func_name, num_inputs, num_outputs, flatten_data, op_attrs",
              "unsupported key '" + key + "'");
      }
    }
    if (!m.containsKey("func_name")) {
      throw fail(path, "the key func_name", "no func_name");
    }
    return m;
  }

  private CvmEntryRef entry(JsonNode v, String path) {
    if (!v.isArray() || v.size() < 2 || v.size() > 3) {
      throw fail(path, "an entry [node_id, index] or [node_id, index, version]", v);
    }
    int nid = integer(v.get(0), path + "[0]", 0, Integer.MAX_VALUE);
    int idx = integer(v.get(1), path + "[1]", 0, Integer.MAX_VALUE);
    int ver = v.size() == 3 ? integer(v.get(2), path + "[2]", 0, Integer.MAX_VALUE) : 0;
    return new CvmEntryRef(nid, idx, ver);
  }

  private CvmGraphAttrs graphAttrs(JsonNode v) {
    if (!v.isObject()) {
      throw fail("attrs", "an object", v.getNodeType());
    }
    List<List<Long>> shape = null;
    List<Integer> storage = null;
    List<Integer> precision = null;
    List<String> dltype = null;
    List<String> opAttrs = null;
    List<Integer> device = null;
    List<Integer> dtype = null;
    Iterator<Map.Entry<String, JsonNode>> it = v.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> f = it.next();
      String key = f.getKey();
      String p = "attrs." + key;
      JsonNode val = f.getValue();
      switch (key) {
        case "dltype":
          dltype = stringList(tagged(val, p, "list_str"), p + "[1]");
          break;
        case "storage_id":
          storage = intList(tagged(val, p, "list_int"), p + "[1]", Integer.MIN_VALUE, Integer.MAX_VALUE);
          break;
        case "shape": {
          JsonNode arr = array(tagged(val, p, "list_shape"), p + "[1]");
          shape = new ArrayList<>(arr.size());
          for (int i = 0; i < arr.size(); i++) {
            JsonNode s = array(arr.get(i), p + "[1][" + i + "]");
            List<Long> dims = new ArrayList<>(s.size());
            for (int j = 0; j < s.size(); j++) {
              JsonNode d = s.get(j);
              if (!d.isIntegralNumber() || !d.canConvertToLong()) {
                throw fail(p + "[1][" + i + "][" + j + "]", "an int64 dimension", d);
              }
              dims.add(d.asLong());
            }
            shape.add(dims);
          }
          break;
        }
        case "device_index":
          device = intList(tagged(val, p, "list_int"), p + "[1]", Integer.MIN_VALUE, Integer.MAX_VALUE);
          break;
        case "precision":
          precision = intList(tagged(val, p, "list_int"), p + "[1]", Integer.MIN_VALUE, Integer.MAX_VALUE);
          break;
        case "op_attrs":
          opAttrs = stringList(tagged(val, p, "list_str"), p + "[1]");
          break;
        case "dtype": {
          if (!val.isArray() || val.size() != 2 || !val.get(0).isTextual()) {
            throw fail(p, "a [type_tag, value] pair", val);
          }
          String tag = val.get(0).asText();
          if (!"list_int".equals(tag)) {
            throw fail(p + "[0]", "the tag \"list_int\" (the runtime cannot skip a dtype of another tag)",
                "\"" + tag + "\"");
          }
          dtype = intList(val.get(1), p + "[1]", Integer.MIN_VALUE, Integer.MAX_VALUE);
          break;
        }
        default:
          throw fail(p, "only the graph attributes shape, storage_id, op_attrs, precision, dltype, "
              + "device_index, dtype", "unsupported graph attribute '" + key + "'");
      }
    }
    if (storage == null || shape == null || opAttrs == null) {
      throw fail("attrs", "the graph attributes storage_id, shape and op_attrs",
          "missing " + (storage == null ? "storage_id" : shape == null ? "shape" : "op_attrs"));
    }
    return new CvmGraphAttrs(shape, storage, precision, dltype, opAttrs, device, dtype);
  }

  private JsonNode tagged(JsonNode v, String path, String tag) {
    if (!v.isArray() || v.size() != 2) {
      throw fail(path, "a [\"" + tag + "\", value] pair", v.getNodeType() + " of size " + v.size());
    }
    JsonNode t = v.get(0);
    if (!t.isTextual() || !tag.equals(t.asText())) {
      throw fail(path + "[0]", "the type tag \"" + tag + "\"", t);
    }
    return v.get(1);
  }

  private JsonNode array(JsonNode v, String path) {
    if (v == null || !v.isArray()) {
      throw fail(path, "an array", v == null ? "nothing" : v.getNodeType());
    }
    return v;
  }

  private String string(JsonNode v, String path) {
    if (!v.isTextual()) {
      throw fail(path, "a string", v.getNodeType() + " " + v);
    }
    return v.asText();
  }

  private int integer(JsonNode v, String path, int min, int max) {
    if (v == null || !v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() < min || v.asInt() > max) {
      throw fail(path, "an integer in [" + min + ", " + max + "]", v);
    }
    return v.asInt();
  }

  private List<Integer> intList(JsonNode v, String path, int min, int max) {
    JsonNode arr = array(v, path);
    List<Integer> out = new ArrayList<>(arr.size());
    for (int i = 0; i < arr.size(); i++) {
      out.add(integer(arr.get(i), path + "[" + i + "]", min, max));
    }
    return out;
  }

  private List<String> stringList(JsonNode v, String path) {
    JsonNode arr = array(v, path);
    List<String> out = new ArrayList<>(arr.size());
    for (int i = 0; i < arr.size(); i++) {
      out.add(string(arr.get(i), path + "[" + i + "]"));
    }
    return out;
  }

  private MrtException fail(String path, String expected, Object found) {
    return new MrtException(source + ": at " + InputLimits.abbreviate(path) + ": expected " + expected + ", found "
        + InputLimits.abbreviate(found));
  }
}

package io.mrt.runtime.io.cvm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;

/**
 * Writes a {@link CvmGraph} as the graph JSON ({@code symbol}) that the CVM runtime loads, in the
 * layout of the CVM compiler (nnvm {@code SaveJSON}): {@code nodes}, {@code arg_nodes},
 * {@code node_row_ptr}, {@code heads}, {@code attrs} (each a {@code [type_tag, value]} pair, keys
 * sorted) and {@code version}. Keys that are null in the graph are omitted.
 */
public final class CvmSymbolWriter {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private CvmSymbolWriter() {
  }

  /** The JSON text of {@code g}. */
  public static String toJson(CvmGraph g) {
    StringBuilder b = new StringBuilder(4096);
    b.append("{\n  \"nodes\": [");
    for (int i = 0; i < g.nodes().size(); i++) {
      CvmNode n = g.nodes().get(i);
      b.append(i == 0 ? "\n" : ", \n").append("    {\n");
      b.append("      \"op\": ").append(q(n.op())).append(", \n");
      b.append("      \"name\": ").append(q(n.name())).append(", \n");
      if (n.precision() != null) {
        b.append("      \"precision\": ").append(n.precision()).append(", \n");
      }
      if (n.attrs() != null) {
        b.append("      \"attrs\": {");
        int k = 0;
        for (Map.Entry<String, String> e : n.attrs().entrySet()) {
          b.append(k++ == 0 ? "\n" : ", \n").append("        ").append(q(e.getKey())).append(": ")
              .append(q(e.getValue()));
        }
        b.append("\n      }, \n");
      }
      b.append("      \"inputs\": ").append(entries(n.inputs())).append("\n    }");
    }
    b.append("\n  ], \n");
    if (g.argNodes() != null) {
      b.append("  \"arg_nodes\": ").append(g.argNodes().toString()).append(", \n");
    }
    if (g.nodeRowPtr() != null) {
      b.append("  \"node_row_ptr\": ").append(g.nodeRowPtr().toString()).append(", \n");
    }
    b.append("  \"heads\": ").append(entries(g.heads())).append(", \n");
    CvmGraphAttrs a = g.attrs();
    b.append("  \"attrs\": {");
    String sep = "\n";
    if (a.deviceIndex() != null) {
      b.append(sep).append("    \"device_index\": [\"list_int\", ").append(a.deviceIndex()).append("]");
      sep = ", \n";
    }
    if (a.dltype() != null) {
      b.append(sep).append("    \"dltype\": [\"list_str\", ").append(strings(a.dltype())).append("]");
      sep = ", \n";
    }
    if (a.dtype() != null) {
      b.append(sep).append("    \"dtype\": [\"list_int\", ").append(a.dtype()).append("]");
      sep = ", \n";
    }
    b.append(sep).append("    \"op_attrs\": [\"list_str\", ").append(strings(a.opAttrs())).append("]");
    sep = ", \n";
    if (a.precision() != null) {
      b.append(sep).append("    \"precision\": [\"list_int\", ").append(a.precision()).append("]");
    }
    b.append(sep).append("    \"shape\": [\"list_shape\", ").append(a.shape().toString()).append("]");
    b.append(sep).append("    \"storage_id\": [\"list_int\", ").append(a.storageId()).append("]");
    b.append("\n  }");
    if (g.version() != null) {
      b.append(", \n  \"version\": ").append(q(g.version()));
    }
    if (g.postprocess() != null) {
      b.append(", \n  \"postprocess\": ").append(q(g.postprocess()));
    }
    b.append("\n}\n");
    return b.toString();
  }

  private static String entries(List<CvmEntryRef> es) {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < es.size(); i++) {
      CvmEntryRef e = es.get(i);
      b.append(i == 0 ? "" : ", ").append('[').append(e.nodeId()).append(", ").append(e.index()).append(", ")
          .append(e.version()).append(']');
    }
    return b.append(']').toString();
  }

  private static String strings(List<String> l) {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < l.size(); i++) {
      b.append(i == 0 ? "" : ", ").append(q(l.get(i)));
    }
    return b.append(']').toString();
  }

  private static String q(String s) {
    try {
      return MAPPER.writeValueAsString(s);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}

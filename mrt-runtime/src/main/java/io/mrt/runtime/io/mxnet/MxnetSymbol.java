package io.mrt.runtime.io.mxnet;

import io.mrt.api.graph.Graph;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A symbol JSON file's content: the graph and the graph attributes. Each graph attribute is kept
 * as the JSON text of its {@code [type, value]} pair, e.g. {@code "mxnet_version"} to
 * {@code ["int",10600]}, and written back unchanged.
 *
 * @param graph the graph
 * @param graphAttrs attribute name to the JSON text of its {@code [type, value]} pair
 */
public record MxnetSymbol(Graph graph, Map<String, String> graphAttrs) {
  /** The MXNet version the writer records by default: 1.9.0, the reference engine. */
  public static final int DEFAULT_MXNET_VERSION = 10900;

  /** Copies the attributes, keeping their order. */
  public MxnetSymbol {
    graphAttrs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(graphAttrs));
  }

  /** A graph with MXNet's default attributes: {@code mxnet_version} 1.9.0. */
  public static MxnetSymbol of(Graph graph) {
    return new MxnetSymbol(graph, Map.of("mxnet_version", "[\"int\",10900]"));
  }

  /** The {@code mxnet_version} attribute (e.g. 10600 for 1.6.0), if present. */
  public Optional<Integer> mxnetVersion() {
    String v = graphAttrs.get("mxnet_version");
    if (v == null) {
      return Optional.empty();
    }
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(-?\\d+)\\s*]\\s*$").matcher(v);
    return m.find() ? Optional.of(Integer.parseInt(m.group(1))) : Optional.empty();
  }

  /** The same attributes with another graph. */
  public MxnetSymbol withGraph(Graph g) {
    return new MxnetSymbol(g, graphAttrs);
  }
}

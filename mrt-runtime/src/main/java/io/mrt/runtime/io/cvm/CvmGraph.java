package io.mrt.runtime.io.cvm;

import java.util.List;

/**
 * An in-memory compiled CVM graph (the {@code symbol} file): nodes in topological order,
 * {@code arg_nodes}, {@code node_row_ptr}, {@code heads}, graph attributes, {@code version} and the
 * optional {@code postprocess}. Keys absent from the JSON are null. This is a faithful model of
 * the file; semantic checks happen when the CVM executor loads it.
 *
 * @param nodes the nodes
 * @param argNodes the {@code arg_nodes} list, or null
 * @param nodeRowPtr the {@code node_row_ptr} list, or null
 * @param heads the graph outputs
 * @param attrs the graph attributes
 * @param version the {@code version} string, or null (the runtime default is {@code cvm_1.0.0})
 * @param postprocess the {@code postprocess} string, or null
 */
public record CvmGraph(List<CvmNode> nodes, List<Integer> argNodes, List<Long> nodeRowPtr,
    List<CvmEntryRef> heads, CvmGraphAttrs attrs, String version, String postprocess) {
  /** The version the runtime assumes when the key is absent. */
  public static final String DEFAULT_VERSION = "cvm_1.0.0";

  /** Copies the lists. */
  public CvmGraph {
    nodes = List.copyOf(nodes);
    argNodes = argNodes == null ? null : List.copyOf(argNodes);
    nodeRowPtr = nodeRowPtr == null ? null : List.copyOf(nodeRowPtr);
    heads = List.copyOf(heads);
  }

  /** The version in effect ({@link #DEFAULT_VERSION} when absent). */
  public String effectiveVersion() {
    return version == null ? DEFAULT_VERSION : version;
  }
}

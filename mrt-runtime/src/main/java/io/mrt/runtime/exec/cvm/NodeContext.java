package io.mrt.runtime.exec.cvm;

/** Names one node in load and inference errors. */
final class NodeContext {
  private final String source;
  private final int nid;
  private final String name;
  private final String op;

  NodeContext(String source, int nid, String name, String op) {
    this.source = source;
    this.nid = nid;
    this.name = name;
    this.op = op;
  }

  String where() {
    return source + ": node " + nid + " '" + name + "'" + (op == null ? "" : " (" + op + ")");
  }

  /** A load refusal naming this node. */
  CvmLoadException fail(String message) {
    return new CvmLoadException(where() + ": " + message);
  }

  /** An inference failure naming this node. */
  CvmInferenceException runFail(String message) {
    return new CvmInferenceException(where() + ": " + message);
  }

  String name() {
    return name;
  }
}

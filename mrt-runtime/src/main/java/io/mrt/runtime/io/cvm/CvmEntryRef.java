package io.mrt.runtime.io.cvm;

/**
 * A reference to one output of a node in a CVM graph: {@code [node_id, index, version]} in the
 * JSON. {@code version} defaults to 0 and is not used by the runtime.
 *
 * @param nodeId the producing node
 * @param index the output index of that node
 * @param version the entry version (kept for round trips)
 */
public record CvmEntryRef(int nodeId, int index, int version) {
  /** An entry with version 0. */
  public static CvmEntryRef of(int nodeId, int index) {
    return new CvmEntryRef(nodeId, index, 0);
  }
}

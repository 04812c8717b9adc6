package io.mrt.api.graph;

/** One output of a node: the unit that flows along the edges of a {@link Graph}. */
public record Entry(Node node, int index) {
  /** Output 0 of {@code node}. */
  public static Entry of(Node node) {
    return new Entry(node, 0);
  }

  @Override
  public String toString() {
    return index == 0 ? node.name() : node.name() + "[" + index + "]";
  }
}

package io.mrt.api.graph;

import java.util.List;
import java.util.Objects;

/**
 * One node of the graph IR: an operator application or a variable ({@code op == "null"}: the
 * input or a parameter). Immutable; passes build new nodes instead of changing old ones. Identity
 * is object identity: two nodes with equal fields are still two nodes.
 */
public final class Node {
  /** The op name MXNet uses for variables. */
  public static final String VARIABLE = "null";

  private final String op;
  private final String name;
  private final Attrs attrs;
  private final List<Entry> inputs;
  private final int numOutputs;

  /** A node; {@code numOutputs} is the number of outputs (1 for almost every op). */
  public Node(String op, String name, Attrs attrs, List<Entry> inputs, int numOutputs) {
    this.op = Objects.requireNonNull(op, "op");
    this.name = Objects.requireNonNull(name, "name");
    this.attrs = Objects.requireNonNull(attrs, "attrs");
    this.inputs = List.copyOf(inputs);
    if (numOutputs < 1) {
      throw new IllegalArgumentException("node " + name + ": numOutputs must be >= 1, found " + numOutputs);
    }
    this.numOutputs = numOutputs;
  }

  /** A single-output op node. */
  public static Node op(String op, String name, Attrs attrs, Entry... inputs) {
    return new Node(op, name, attrs, List.of(inputs), 1);
  }

  /** A variable (input or parameter) node. */
  public static Node variable(String name, Attrs attrs) {
    return new Node(VARIABLE, name, attrs, List.of(), 1);
  }

  /** The operator name ({@code "null"} for variables). */
  public String op() {
    return op;
  }

  /** The node's unique name within its graph. */
  public String name() {
    return name;
  }

  /** The attributes. */
  public Attrs attrs() {
    return attrs;
  }

  /** The input entries, in order. */
  public List<Entry> inputs() {
    return inputs;
  }

  /** Input {@code i}. */
  public Entry input(int i) {
    return inputs.get(i);
  }

  /** The number of outputs. */
  public int numOutputs() {
    return numOutputs;
  }

  /** Whether this is a variable (input or parameter). */
  public boolean isVariable() {
    return VARIABLE.equals(op);
  }

  /** Output {@code i} as an entry. */
  public Entry out(int i) {
    if (i < 0 || i >= numOutputs) {
      throw new IndexOutOfBoundsException("node " + name + " has " + numOutputs + " outputs, asked for " + i);
    }
    return new Entry(this, i);
  }

  /** Output 0 as an entry. */
  public Entry out() {
    return new Entry(this, 0);
  }

  /** A copy with other inputs. */
  public Node withInputs(List<Entry> newInputs) {
    return new Node(op, name, attrs, newInputs, numOutputs);
  }

  /** A copy with other attributes. */
  public Node withAttrs(Attrs newAttrs) {
    return new Node(op, name, newAttrs, inputs, numOutputs);
  }

  /** A copy with another name. */
  public Node withName(String newName) {
    return new Node(op, newName, attrs, inputs, numOutputs);
  }

  @Override
  public String toString() {
    return op + "(" + name + ")";
  }
}

package io.mrt.runtime.io.cvm;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One node of a compiled CVM graph exactly as the JSON holds it: {@code op} is {@code "null"} for
 * a variable (the input {@code data} or a parameter) and {@code "cvm_op"} for an operator;
 * {@code attrs} (absent for variables) holds {@code func_name} and the informational
 * {@code num_inputs}, {@code num_outputs}, {@code flatten_data}; {@code precision} is the optional
 * per-node int that the runtime reads and ignores.
 *
 * @param op {@code "null"} or {@code "cvm_op"}
 * @param name the node name
 * @param inputs the input entries
 * @param attrs the node attributes, or null when the JSON has none
 * @param precision the node's {@code precision} key, or null when absent
 */
public record CvmNode(String op, String name, List<CvmEntryRef> inputs, Map<String, String> attrs,
    Integer precision) {
  /** The {@code op} value of variables. */
  public static final String VARIABLE = "null";
  /** The {@code op} value of operators. */
  public static final String CVM_OP = "cvm_op";

  /** Copies the collections. */
  public CvmNode {
    inputs = List.copyOf(inputs);
    attrs = attrs == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(attrs));
  }

  /** A variable node (input or parameter). */
  public static CvmNode variable(String name) {
    return new CvmNode(VARIABLE, name, List.of(), null, null);
  }

  /**
   * An operator node with the attrs the CVM compiler writes:
   * {@code flatten_data=0, func_name, num_inputs, num_outputs}.
   */
  public static CvmNode operator(String name, String funcName, List<CvmEntryRef> inputs, int numOutputs) {
    Map<String, String> a = new LinkedHashMap<>();
    a.put("flatten_data", "0");
    a.put("func_name", funcName);
    a.put("num_inputs", Integer.toString(inputs.size()));
    a.put("num_outputs", Integer.toString(numOutputs));
    return new CvmNode(CVM_OP, name, inputs, a, null);
  }

  /** Whether this is a variable ({@code op == "null"}). */
  public boolean isVariable() {
    return VARIABLE.equals(op);
  }

  /** The {@code func_name} attribute, or null. */
  public String funcName() {
    return attrs == null ? null : attrs.get("func_name");
  }
}

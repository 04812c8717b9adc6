package io.mrt.runtime.io.cvm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds a compiled CVM model the way the CVM compiler lays it out (version {@code cvm_1.0.0}):
 * variables and operators in topological order, operator nodes named {@code <op>_<k>} with the
 * attrs {@code flatten_data/func_name/num_inputs/num_outputs}, {@code op_attrs} as JSON strings
 * (keys sorted), {@code arg_nodes} and {@code node_row_ptr} computed, storage ids planned by
 * liveness ({@link CvmStoragePlan}, or one per entry on request), every dltype {@code int32}, and
 * parameters stored as int8 when their precision is at most 8, else int32. Output shapes are given
 * by the caller; the CVM executor re-checks everything at load. This is the one place that lays
 * out compiled graphs: the compiler builds its models with it too.
 */
public final class CvmGraphBuilder {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final List<CvmNode> nodes = new ArrayList<>();
  private final List<List<List<Long>>> shapes = new ArrayList<>();
  private final List<List<Integer>> precisions = new ArrayList<>();
  private final List<String> opAttrs = new ArrayList<>();
  private final Map<String, CvmTensor> params = new LinkedHashMap<>();
  private final Map<String, Integer> counters = new HashMap<>();
  private final List<CvmEntryRef> heads = new ArrayList<>();

  /** Adds the input variable (name it {@code data}); returns its node id. */
  public int input(String name, long[] shape, int precision) {
    return variable(name, shape, precision);
  }

  /**
   * Adds a parameter variable with its values (|v| &lt;= 2^(precision-1)-1 is checked at load);
   * returns its node id.
   */
  public int param(String name, long[] shape, int precision, int[] values) {
    return param(name, CvmTensor.forPrecision(shape, values, precision), precision);
  }

  /** Adds a parameter variable holding {@code value} (its shape is the variable's); returns its node id. */
  public int param(String name, CvmTensor value, int precision) {
    int id = variable(name, value.shape(), precision);
    params.put(name, value);
    return id;
  }

  private int variable(String name, long[] shape, int precision) {
    nodes.add(CvmNode.variable(name));
    shapes.add(List.of(toList(shape)));
    precisions.add(List.of(precision));
    opAttrs.add("{}");
    return nodes.size() - 1;
  }

  /** Adds a one-output operator reading output 0 of the given nodes; returns its node id. */
  public int op(String func, Map<String, String> attrs, long[] outShape, int... inputs) {
    List<CvmEntryRef> in = new ArrayList<>();
    for (int i : inputs) {
      in.add(CvmEntryRef.of(i, 0));
    }
    return op(func, attrs, List.of(outShape), in);
  }

  /** Adds an operator with explicit input entries and one shape per output; returns its node id. */
  public int op(String func, Map<String, String> attrs, List<long[]> outShapes, List<CvmEntryRef> inputs) {
    int k = counters.merge(func, 1, Integer::sum) - 1;
    try {
      return op(func + "_" + k, func, MAPPER.writeValueAsString(new TreeMap<>(attrs)), outShapes, inputs);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Adds an operator named {@code name} with {@code op_attrs} given as its JSON text and one shape
   * per output; returns its node id.
   */
  public int op(String name, String func, String opAttrsJson, List<long[]> outShapes, List<CvmEntryRef> inputs) {
    nodes.add(CvmNode.operator(name, func, inputs, outShapes.size()));
    List<List<Long>> s = new ArrayList<>();
    List<Integer> p = new ArrayList<>();
    for (long[] o : outShapes) {
      s.add(toList(o));
      p.add(-1);
    }
    shapes.add(s);
    precisions.add(p);
    opAttrs.add(opAttrsJson);
    return nodes.size() - 1;
  }

  /** Declares output 0 of node {@code nid} a head. */
  public CvmGraphBuilder head(int nid) {
    return head(nid, 0);
  }

  /** Declares output {@code index} of node {@code nid} a head. */
  public CvmGraphBuilder head(int nid, int index) {
    heads.add(CvmEntryRef.of(nid, index));
    return this;
  }

  /** The model: graph and params, storage planned by liveness. */
  public CvmModel build() {
    return build(CvmStoragePlan.Strategy.LIVENESS);
  }

  /** The model: graph and params, storage laid out by {@code storage}. */
  public CvmModel build(CvmStoragePlan.Strategy storage) {
    List<Integer> arg = new ArrayList<>();
    List<Long> rowPtr = new ArrayList<>();
    List<List<Long>> flatShapes = new ArrayList<>();
    List<Integer> flatPrec = new ArrayList<>();
    long entries = 0;
    for (int i = 0; i < nodes.size(); i++) {
      if (nodes.get(i).isVariable()) {
        arg.add(i);
      }
      rowPtr.add(entries);
      entries += shapes.get(i).size();
      flatShapes.addAll(shapes.get(i));
      flatPrec.addAll(precisions.get(i));
    }
    rowPtr.add(entries);
    int[] sid = CvmStoragePlan.plan(nodes, rowPtr.stream().mapToLong(Long::longValue).toArray(), flatShapes, heads,
        storage);
    List<String> dltype = new ArrayList<>();
    for (int e = 0; e < entries; e++) {
      dltype.add("int32");
    }
    CvmGraphAttrs attrs = new CvmGraphAttrs(flatShapes, java.util.Arrays.stream(sid).boxed().toList(), flatPrec,
        dltype, opAttrs, null, null);
    CvmGraph g = new CvmGraph(nodes, arg, rowPtr, heads, attrs, CvmGraph.DEFAULT_VERSION, null);
    return new CvmModel(g, CvmParams.of(params));
  }

  private static List<Long> toList(long[] a) {
    List<Long> l = new ArrayList<>(a.length);
    for (long x : a) {
      l.add(x);
    }
    return l;
  }
}

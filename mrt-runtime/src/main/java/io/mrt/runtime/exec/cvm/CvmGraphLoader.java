package io.mrt.runtime.exec.cvm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mrt.runtime.io.cvm.CvmEntryRef;
import io.mrt.runtime.io.cvm.CvmGraph;
import io.mrt.runtime.io.cvm.CvmGraphAttrs;
import io.mrt.runtime.io.cvm.CvmNode;
import io.mrt.runtime.io.cvm.CvmParams;
import io.mrt.runtime.io.cvm.CvmTensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The load-time checks of the reference runtime (CVM_FORMAT.md section 1.4 and the params rules of
 * section 2), in its order, turning a {@link CvmGraph} and its {@link CvmParams} into an executable
 * {@link Plan}. Each refusal is a {@link CvmLoadException} naming the model, the node or key, what
 * was expected and what was found.
 */
final class CvmGraphLoader {
  static final long MAX_DIM = 1L << 24;
  static final long MAX_SIZE = 1L << 30;
  static final long MAX_BASE_OPS = 1L << 30;
  static final long MAX_OPS = 1L << 40;
  static final long MAX_MEM = 1L << 40;
  static final long MAX_STORAGE = 1L << 32;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** One operator node ready to run. */
  record OpNode(int nid, String name, CvmOp op, Attrs attrs, int[] in, int[] out, CvmOp.Kernel kernel,
      NodeContext ctx, boolean copyInput0) {
  }

  /** Everything the executor needs. */
  record Plan(String source, int[][] shapes, int[] storage, int[] precision, int[] slotSize, boolean[] sharedParamSlot,
      Map<Integer, int[]> paramByEntry, int dataEntry, List<OpNode> ops, int[] heads, long ops64, long mem,
      long storageBytes) {
  }

  private final String source;
  private final CvmGraph g;
  private final CvmParams params;
  private final List<CvmNode> nodes;
  private final CvmGraphAttrs at;
  /** Number of nodes. */
  private final int nn;

  // filled by the load steps, in order
  private List<Integer> variables;
  private CvmOp[] ops;
  private Attrs[] attrs;
  private int[] rowPtr;
  /** Number of entries. */
  private int ne;
  private int[] sid;
  private long[][] shapes;
  private int[] prec;
  private int[] slotSize;
  private long storageBytes;
  private int dataNode;
  private Map<Integer, int[]> paramByEntry;
  private long ops64;
  private long mem;

  private CvmGraphLoader(String source, CvmGraph g, CvmParams params) {
    this.source = source;
    this.g = g;
    this.params = params;
    this.nodes = g.nodes();
    this.at = g.attrs();
    this.nn = nodes.size();
  }

  static Plan load(String source, CvmGraph g, CvmParams params) {
    return new CvmGraphLoader(source, g, params).run();
  }

  private CvmLoadException fail(String key, String message) {
    return new CvmLoadException(source + ": " + key + ": " + message);
  }

  private NodeContext ctx(int nid) {
    CvmNode n = g.nodes().get(nid);
    return new NodeContext(source, nid, n.name(), n.isVariable() ? "variable" : n.funcName());
  }

  /** GetOpName: strips a trailing _digits suffix. */
  static String opName(String funcName) {
    return io.mrt.runtime.io.cvm.CvmStoragePlan.opName(funcName);
  }

  private Plan run() {
    checkVariableNames();
    readOperators();
    layOutEntries();
    readStorageIds();
    checkStorageSharing();
    readShapes();
    readPrecisions();
    checkDeviceIndex();
    checkVersionAndLayout();
    checkOrderAndHeads();
    inferShapes();
    inferPrecisions();
    sizeStoragePool();
    findData();
    loadParams();
    countGas();
    return buildPlan();
  }

  /** The names of the variable nodes are unique; records the variables in order. */
  private void checkVariableNames() {
    Set<String> names = new HashSet<>();
    variables = new ArrayList<>();
    for (int i = 0; i < nn; i++) {
      if (nodes.get(i).isVariable()) {
        variables.add(i);
        if (!names.add(nodes.get(i).name())) {
          throw ctx(i).fail("input node name '" + nodes.get(i).name() + "' is duplicated in the graph");
        }
      }
    }
  }

  /** Every operator node names one of the 37 operators, with attributes its schema accepts and the inputs it takes. */
  private void readOperators() {
    if (at.opAttrs().size() != nn) {
      throw fail("attrs.op_attrs", "expected one entry per node (" + nn + "), found " + at.opAttrs().size());
    }
    ops = new CvmOp[nn];
    attrs = new Attrs[nn];
    for (int i = 0; i < nn; i++) {
      CvmNode n = nodes.get(i);
      if (n.isVariable()) {
        continue;
      }
      NodeContext c = ctx(i);
      String fn = n.funcName() == null ? "" : opName(n.funcName());
      CvmOp op = CvmOps.get(fn);
      if (op == null) {
        throw c.fail("operator '" + fn + "' is not registered in the CVM runtime (the 37 operators are "
            + CvmOps.names() + ")");
      }
      ops[i] = op;
      Map<String, String> dict = parseOpAttrs(at.opAttrs().get(i), c);
      if (op.schema() == null) {
        if (!dict.isEmpty()) {
          throw c.fail("operator " + op.name() + " takes no attributes, but op_attrs is " + at.opAttrs().get(i));
        }
        attrs[i] = Attrs.none();
      } else {
        attrs[i] = op.schema().parse(dict, msg -> c.fail(msg));
      }
      int want = op.numInputs(attrs[i], n.inputs().size());
      if (want != n.inputs().size()) {
        throw c.fail("expected " + want + " inputs, found " + n.inputs().size());
      }
    }
  }

  /** The first entry of every node (node_row_ptr as the runtime computes it); every input refers to an existing entry. */
  private void layOutEntries() {
    rowPtr = new int[nn + 1];
    for (int i = 0; i < nn; i++) {
      rowPtr[i + 1] = rowPtr[i] + (nodes.get(i).isVariable() ? 1 : ops[i].numOutputs());
    }
    ne = rowPtr[nn];
    for (int i = 0; i < nn; i++) {
      for (CvmEntryRef e : nodes.get(i).inputs()) {
        checkRef(e, nodes, ops, "input of node " + i + " '" + nodes.get(i).name() + "'");
      }
    }
  }

  /** One storage id per entry, each in [0, entries). */
  private void readStorageIds() {
    if (at.storageId().size() != ne) {
      throw fail("attrs.storage_id", "expected one entry per node output (" + ne + "), found "
          + at.storageId().size());
    }
    sid = new int[ne];
    for (int e = 0; e < ne; e++) {
      sid[e] = at.storageId().get(e);
      if (sid[e] < 0 || sid[e] >= ne) {
        throw fail("attrs.storage_id[" + e + "]", "expected a storage id in [0, " + ne
            + ") (one pool slot per entry at most), found " + sid[e]);
      }
    }
  }

  /** An output shares the storage id of an input only when its operator may share storage (the runtime's allow-list, with its "nagetive" typo: negative may not). */
  private void checkStorageSharing() {
    for (int i = 0; i < nn; i++) {
      if (nodes.get(i).isVariable() || ops[i].mayShareStorage()) {
        continue;
      }
      for (int o = 0; o < ops[i].numOutputs(); o++) {
        for (CvmEntryRef e : nodes.get(i).inputs()) {
          int ie = rowPtr[e.nodeId()] + e.index();
          if (sid[rowPtr[i] + o] == sid[ie]) {
            throw ctx(i).fail("output " + o + " uses the same storage_id " + sid[ie] + " as its input ("
                + e.nodeId() + ", " + e.index() + "); only " + CvmOps.sharingStorage()
                + " may share storage");
          }
        }
      }
    }
  }

  /** One shape per entry: 1 to 6 dimensions, each in (0, 2^24], at most 2^30 elements. */
  private void readShapes() {
    if (at.shape().size() != ne) {
      throw fail("attrs.shape", "expected one shape per node output (" + ne + "), found " + at.shape().size());
    }
    shapes = new long[ne][];
    for (int e = 0; e < ne; e++) {
      List<Long> s = at.shape().get(e);
      if (s.isEmpty() || s.size() > 6) {
        throw fail("attrs.shape[" + e + "]", "expected 1 to 6 dimensions, found " + s.size() + " " + s);
      }
      shapes[e] = new long[s.size()];
      long size = 1;
      for (int j = 0; j < s.size(); j++) {
        long d = s.get(j);
        if (d <= 0 || d > MAX_DIM) {
          throw fail("attrs.shape[" + e + "]", "expected every dimension in (0, 2^24], found " + d + " in " + s);
        }
        size *= d;
        if (size > MAX_SIZE) {
          throw fail("attrs.shape[" + e + "]", "expected at most 2^30 elements, found more in " + s);
        }
        shapes[e][j] = d;
      }
    }
  }

  /** One precision per entry: -1 (to be inferred) or a value in [1, 32]. */
  private void readPrecisions() {
    if (at.precision() == null || at.precision().size() != ne) {
      throw fail("attrs.precision", "expected one precision per node output (" + ne + "), found "
          + (at.precision() == null ? "no precision attribute" : at.precision().size()));
    }
    prec = new int[ne];
    for (int e = 0; e < ne; e++) {
      prec[e] = at.precision().get(e);
      if (prec[e] != -1 && (prec[e] < 1 || prec[e] > 32)) {
        throw fail("attrs.precision[" + e + "]", "expected -1 or a value in [1, 32], found " + prec[e]);
      }
    }
  }

  /** device_index is absent or empty. */
  private void checkDeviceIndex() {
    if (at.deviceIndex() != null && !at.deviceIndex().isEmpty()) {
      throw fail("attrs.device_index", "expected an empty list, found " + at.deviceIndex());
    }
  }

  /** The version, and for cvm_1.0.0 the dltype list, node_row_ptr and arg_nodes as the runtime lays them out; every dltype is int32. */
  private void checkVersionAndLayout() {
    String version = g.effectiveVersion();
    if ("cvm_1.0.0".equals(version)) {
      List<String> dl = at.dltype() == null ? List.of() : at.dltype();
      if (dl.size() != ne) {
        throw fail("attrs.dltype", "expected one dltype per node output (" + ne + "), found " + dl.size());
      }
      List<Long> rp = g.nodeRowPtr() == null ? List.of() : g.nodeRowPtr();
      if (rp.size() != nn + 1) {
        throw fail("node_row_ptr", "expected " + (nn + 1) + " values, found " + rp.size());
      }
      for (int i = 0; i <= nn; i++) {
        if (rp.get(i) != rowPtr[i]) {
          throw fail("node_row_ptr[" + i + "]", "expected " + rowPtr[i] + ", found " + rp.get(i));
        }
      }
      List<Integer> an = g.argNodes() == null ? List.of() : g.argNodes();
      if (an.size() != variables.size()) {
        throw fail("arg_nodes", "expected the " + variables.size() + " variable node ids " + variables + ", found "
            + an);
      }
      for (int i = 0; i < an.size(); i++) {
        if (!an.get(i).equals(variables.get(i))) {
          throw fail("arg_nodes[" + i + "]", "expected " + variables.get(i) + ", found " + an.get(i));
        }
      }
    } else if (!"cvm_1.1.0".equals(version)) {
      throw fail("version", "expected cvm_1.0.0 or cvm_1.1.0, found " + version);
    }
    if (at.dltype() != null) {
      for (int e = 0; e < at.dltype().size(); e++) {
        if (!"int32".equals(at.dltype().get(e))) {
          throw fail("attrs.dltype[" + e + "]", "expected int32, found " + at.dltype().get(e));
        }
      }
    }
  }

  /** Every input is computed before its node; the heads are valid entries. */
  private void checkOrderAndHeads() {
    for (int i = 0; i < nn; i++) {
      for (CvmEntryRef e : nodes.get(i).inputs()) {
        if (rowPtr[e.nodeId()] + e.index() >= rowPtr[i]) {
          throw ctx(i).fail("the graph does not follow the topological order: input (" + e.nodeId() + ", "
              + e.index() + ") is not computed before this node");
        }
      }
    }
    if (g.heads().isEmpty()) {
      throw fail("heads", "expected at least one graph output, found an empty list");
    }
    for (int h = 0; h < g.heads().size(); h++) {
      checkRef(g.heads().get(h), nodes, ops, "heads[" + h + "]");
    }
  }

  /** Every operator's inferred output shapes equal the graph's. */
  private void inferShapes() {
    for (int i = 0; i < nn; i++) {
      if (nodes.get(i).isVariable()) {
        continue;
      }
      List<CvmEntryRef> ins = nodes.get(i).inputs();
      long[][] in = new long[ins.size()][];
      for (int j = 0; j < in.length; j++) {
        in[j] = shapes[rowPtr[ins.get(j).nodeId()] + ins.get(j).index()].clone();
      }
      long[][] out = ops[i].inferShape(attrs[i], in, ctx(i));
      for (int o = 0; o < out.length; o++) {
        if (!Arrays.equals(out[o], shapes[rowPtr[i] + o])) {
          throw ctx(i).fail("output " + o + " shape: inferred " + Arrays.toString(out[o]) + ", but the graph says "
              + Arrays.toString(shapes[rowPtr[i] + o]));
        }
      }
    }
  }

  /** Variables keep their precision (which must be set); each operator's inferred precision overwrites its outputs' and lies in [1, 32]. */
  private void inferPrecisions() {
    for (int i = 0; i < nn; i++) {
      CvmNode n = nodes.get(i);
      if (n.isVariable()) {
        if (prec[rowPtr[i]] == -1) {
          throw ctx(i).fail("the precision of variable '" + n.name() + "' is not set (-1)");
        }
        continue;
      }
      List<CvmEntryRef> ins = n.inputs();
      int[] ip = new int[ins.size()];
      long[][] in = new long[ins.size()][];
      for (int j = 0; j < ip.length; j++) {
        int e = rowPtr[ins.get(j).nodeId()] + ins.get(j).index();
        ip[j] = prec[e];
        in[j] = shapes[e];
        if (ip[j] == -1) {
          throw ctx(i).fail("input " + j + " has no inferred precision");
        }
      }
      long[][] out = new long[ops[i].numOutputs()][];
      for (int o = 0; o < out.length; o++) {
        out[o] = shapes[rowPtr[i] + o];
      }
      int[] op = ops[i].inferPrecision(attrs[i], ip, in, out, ctx(i));
      for (int o = 0; o < op.length; o++) {
        if (op[o] < 1 || op[o] > 32) {
          throw ctx(i).fail("inferred output precision " + op[o] + " is outside [1, 32] (input precisions "
              + Arrays.toString(ip) + ")");
        }
        prec[rowPtr[i] + o] = op[o];
      }
    }
  }

  /** The size of every storage id (its largest entry); the pool stays under 2^32 bytes. */
  private void sizeStoragePool() {
    int nslots = 0;
    for (int s : sid) {
      nslots = Math.max(nslots, s + 1);
    }
    long[] slotLong = new long[nslots];
    for (int e = 0; e < ne; e++) {
      slotLong[sid[e]] = Math.max(slotLong[sid[e]], CvmOp.size(shapes[e]));
    }
    storageBytes = 0;
    for (long s : slotLong) {
      storageBytes += s * 4;
      if (storageBytes > MAX_STORAGE) {
        throw fail("attrs.storage_id", "the storage pool exceeds 2^32 bytes");
      }
    }
    slotSize = new int[nslots];
    for (int s = 0; s < nslots; s++) {
      slotSize[s] = (int) slotLong[s];
    }
  }

  /** The variable named data, the input. */
  private void findData() {
    dataNode = -1;
    for (int v : variables) {
      if ("data".equals(nodes.get(v).name())) {
        dataNode = v;
      }
    }
    if (dataNode < 0) {
      throw fail("nodes", "expected a variable named data (the input), found none among " + variableNames(variables));
    }
  }

  /** Every parameter is a variable of the graph with a valid value, and every variable but data has one. */
  private void loadParams() {
    paramByEntry = new HashMap<>();
    Map<String, Integer> varByName = new LinkedHashMap<>();
    for (int v : variables) {
      varByName.put(nodes.get(v).name(), v);
    }
    Set<Integer> set = new HashSet<>();
    for (CvmParams.Param p : params.list()) {
      Integer v = varByName.get(p.name());
      if (v == null) {
        throw fail("params", "parameter '" + p.name() + "' is not an input of the graph (inputs: "
            + varByName.keySet() + ")");
      }
      set.add(v);
      int[] values = checkParam(p, v, shapes[rowPtr[v]], prec[rowPtr[v]]);
      if (values != null) {
        paramByEntry.put(rowPtr[v], values);
      }
    }
    for (int v : variables) {
      if (v != dataNode && !set.contains(v)) {
        throw ctx(v).fail("parameter '" + nodes.get(v).name() + "' has not been loaded (missing from params)");
      }
    }
  }

  /** The operation count and memory cost (GetOps) stay under their limits. */
  private void countGas() {
    ops64 = 0;
    mem = 0;
    for (int i = 0; i < nn; i++) {
      if (nodes.get(i).isVariable()) {
        mem += CvmOp.size(shapes[rowPtr[i]]) * 5;
        continue;
      }
      List<CvmEntryRef> ins = nodes.get(i).inputs();
      long[][] in = new long[ins.size()][];
      for (int j = 0; j < in.length; j++) {
        in[j] = shapes[rowPtr[ins.get(j).nodeId()] + ins.get(j).index()];
      }
      long[][] out = new long[ops[i].numOutputs()][];
      for (int o = 0; o < out.length; o++) {
        out[o] = shapes[rowPtr[i] + o];
        mem += CvmOp.size(out[o]) * 5;
      }
      long base = ops[i].gasBase(attrs[i], in, out);
      if (base > MAX_BASE_OPS) {
        throw ctx(i).fail("operations per output element " + base + " exceed the limit 2^30");
      }
      ops64 += base * CvmOp.size(out[ops[i].gasOutput()]);
      if (ops64 > MAX_OPS) {
        throw ctx(i).fail("the model's operation count exceeds the limit 2^40");
      }
    }
    if (mem > MAX_MEM) {
      throw fail("attrs.shape", "the model's memory cost " + mem + " exceeds the limit 2^40");
    }
  }

  /** The plan the executor runs: integer shapes, shared parameter slots and one kernel per operator node. */
  private Plan buildPlan() {
    int[][] ishapes = new int[ne][];
    for (int e = 0; e < ne; e++) {
      ishapes[e] = Arrays.stream(shapes[e]).mapToInt(x -> (int) x).toArray();
    }
    int[] users = new int[slotSize.length];
    for (int e = 0; e < ne; e++) {
      users[sid[e]]++;
    }
    boolean[] sharedParam = new boolean[slotSize.length];
    for (int e : paramByEntry.keySet()) {
      if (users[sid[e]] == 1) {
        sharedParam[sid[e]] = true;
      }
    }
    List<OpNode> plan = new ArrayList<>();
    for (int i = 0; i < nn; i++) {
      if (nodes.get(i).isVariable()) {
        continue;
      }
      List<CvmEntryRef> ins = nodes.get(i).inputs();
      int[] in = new int[ins.size()];
      int[][] inShapes = new int[in.length][];
      for (int j = 0; j < in.length; j++) {
        in[j] = rowPtr[ins.get(j).nodeId()] + ins.get(j).index();
        inShapes[j] = ishapes[in[j]];
      }
      int[] out = new int[ops[i].numOutputs()];
      int[][] outShapes = new int[out.length][];
      for (int o = 0; o < out.length; o++) {
        out[o] = rowPtr[i] + o;
        outShapes[o] = ishapes[out[o]];
      }
      NodeContext c = ctx(i);
      CvmOp.Kernel k = ops[i].kernel(attrs[i], inShapes, outShapes, c);
      boolean copy = ops[i].mutatesInput0() && sharedParam[sid[in[0]]];
      plan.add(new OpNode(i, nodes.get(i).name(), ops[i], attrs[i], in, out, k, c, copy));
    }
    int[] heads = new int[g.heads().size()];
    for (int h = 0; h < heads.length; h++) {
      heads[h] = rowPtr[g.heads().get(h).nodeId()] + g.heads().get(h).index();
    }
    return new Plan(source, ishapes, sid, prec, slotSize, sharedParam, paramByEntry, rowPtr[dataNode], plan, heads,
        ops64, mem, storageBytes);
  }

  private String variableNames(List<Integer> variables) {
    List<String> l = new ArrayList<>();
    for (int v : variables) {
      l.add(g.nodes().get(v).name());
    }
    return l.toString();
  }

  private void checkRef(CvmEntryRef e, List<CvmNode> nodes, CvmOp[] ops, String where) {
    if (e.nodeId() >= nodes.size()) {
      throw fail(where, "expected a node id below " + nodes.size() + ", found " + e.nodeId());
    }
    int outs = nodes.get(e.nodeId()).isVariable() ? 1 : ops[e.nodeId()].numOutputs();
    if (e.index() >= outs) {
      throw fail(where, "expected an output index below " + outs + " of node " + e.nodeId() + " '"
          + nodes.get(e.nodeId()).name() + "', found " + e.index());
    }
  }

  private Map<String, String> parseOpAttrs(String text, NodeContext c) {
    JsonNode n;
    try {
      n = MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw c.fail("op_attrs is not a JSON object: " + io.mrt.runtime.InputLimits.abbreviate(e.getOriginalMessage()));
    }
    if (n == null || !n.isObject()) {
      throw c.fail("op_attrs must be a JSON object of strings, found " + io.mrt.runtime.InputLimits.abbreviate(text));
    }
    Map<String, String> m = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> f = it.next();
      if (!f.getValue().isTextual()) {
        throw c.fail("op_attrs value of '" + io.mrt.runtime.InputLimits.abbreviate(f.getKey())
            + "' must be a string, found " + io.mrt.runtime.InputLimits.abbreviate(f.getValue()));
      }
      m.put(f.getKey(), f.getValue().asText());
    }
    return m;
  }

  /** SetInput's checks of one parameter; returns its values, or null for a parameter named data. */
  private int[] checkParam(CvmParams.Param p, int nid, long[] shape, int precision) {
    CvmTensor t = p.tensor();
    NodeContext c = ctx(nid);
    if (t.dtypeCode() != CvmTensor.KDL_INT) {
      throw c.fail("parameter '" + p.name() + "' must be an int8 or int32 tensor, found dtype " + t.dtypeName());
    }
    if (!t.isSupportedInt()) {
      throw c.fail("parameter '" + p.name() + "' must be int8 or int32 with 1 lane, found " + t.dtypeName());
    }
    if (t.deviceType() != CvmTensor.KDL_CPU) {
      throw c.fail("parameter '" + p.name() + "' must be stored with the CPU context (1), found device type "
          + t.deviceType());
    }
    if (!Arrays.equals(t.shape(), shape)) {
      throw c.fail("parameter '" + p.name() + "' shape " + Arrays.toString(t.shape()) + " differs from the graph "
          + "shape " + Arrays.toString(shape));
    }
    int[] v = t.toIntArray();
    if ("data".equals(p.name())) {
      return null;
    }
    int r = CvmOp.range(precision);
    for (int i = 0; i < v.length; i++) {
      if (v[i] < -r || v[i] > r) {
        throw c.fail("parameter '" + p.name() + "' value " + v[i] + " at index " + i + " exceeds precision "
            + precision + " (|v| <= " + r + ")");
      }
    }
    return v;
  }
}

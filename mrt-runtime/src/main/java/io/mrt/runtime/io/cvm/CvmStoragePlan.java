package io.mrt.runtime.io.cvm;

import io.mrt.annotations.cvm.CvmRules;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The storage plan of a compiled CVM graph (the {@code storage_id} attribute), laid out as the CVM
 * compiler's {@code PlanMemory} does: entries get storage ids in the topological order the runtime
 * executes, and a storage id is reused as soon as every entry in it has been read for the last time.
 *
 * <p>Rules (CVM_FORMAT.md sections 1.4 and 1.5):
 * <ul>
 *   <li>every variable (the input {@code data} and every parameter) has a storage id of its own,
 *       never shared;
 *   <li>a graph output (head) is never released, so nothing later overwrites it;
 *   <li>an operator's output never shares a storage id with an input it reads, except that an
 *       operator of {@link #IN_PLACE_OPS} may write its single output over an input of the same size
 *       that it reads for the last time (and that is neither a variable nor a head);
 *   <li>every output of {@code non_max_suppression} gets a storage id of its own (the operator may
 *       leave rows unwritten, so they must not hold another entry's values);
 *   <li>a released storage id is reused by the next request of a size within a factor of 16: the
 *       smallest free id at least as large, else the largest smaller one, which grows (NNVM's
 *       {@code GraphAllocator} with match range 16); otherwise a new id is created.
 * </ul>
 * A storage id is as large as the largest entry using it, and every entry is int32, so the pool is
 * the sum over storage ids of the largest entry's element count times 4 bytes.
 */
public final class CvmStoragePlan {
  /**
   * The operators whose output the reference runtime lets share storage with an input: those the
   * table of CVM operator rules marks so ({@link CvmRules#sharingStorage()}; the runtime's
   * allow-list spells negative {@code nagetive}, so {@code negative} never runs in place).
   */
  public static final Set<String> IN_PLACE_OPS = CvmRules.sharingStorage();
  /** Operators whose outputs always get a storage id of their own. */
  static final Set<String> EXCLUSIVE_OUTPUT_OPS = Set.of("non_max_suppression");
  /** NNVM's match range: a free storage id is reused for a request within this factor of its size. */
  static final long MATCH_RANGE = 16;

  /** How storage ids are given to entries. */
  public enum Strategy {
    /** Reuse by liveness (the default of compiled models). */
    LIVENESS,
    /** Every entry its own storage id: {@code 0 .. #entries-1}. */
    ONE_PER_ENTRY
  }

  /**
   * Storage figures of a graph.
   *
   * @param entries graph entries (node outputs)
   * @param storageIds distinct storage ids of the plan
   * @param bytes the storage pool of the plan (sum over storage ids of the largest entry, 4 bytes an element)
   * @param unplannedBytes the pool with every entry in its own storage id
   * @param paramBytes the part of the pool held by parameters (variables other than {@code data})
   * @param batch the first dimension of {@code data}
   */
  public record Summary(int entries, int storageIds, long bytes, long unplannedBytes, long paramBytes, long batch) {
    /** Bytes of the pool other than parameters (the input, intermediates and outputs). */
    public long activationBytes() {
      return bytes - paramBytes;
    }

    /** {@link #activationBytes} without the plan. */
    public long unplannedActivationBytes() {
      return unplannedBytes - paramBytes;
    }

    /** Activation bytes per image at the compiled batch (rounded up). */
    public long activationBytesPerImage() {
      return (activationBytes() + batch - 1) / batch;
    }

    /** Activation bytes per image without the plan (rounded up). */
    public long unplannedActivationBytesPerImage() {
      return (unplannedActivationBytes() + batch - 1) / batch;
    }

    /** One line: entries, storage ids, bytes with and without the plan, activations per image. */
    public String line() {
      return String.format(java.util.Locale.ROOT, "storage plan: %d entries in %d storage ids, %,d bytes "
          + "(without plan %,d); activations %,d bytes per image at batch %d (without plan %,d)", entries,
          storageIds, bytes, unplannedBytes, activationBytesPerImage(), batch, unplannedActivationBytesPerImage());
    }
  }

  private CvmStoragePlan() {}

  /** Strips a trailing {@code _digits} suffix of a {@code func_name} (the runtime's GetOpName). */
  public static String opName(String funcName) {
    String ret = funcName;
    for (int i = funcName.length() - 1; i >= 0; --i) {
      char c = funcName.charAt(i);
      if (c >= '0' && c <= '9') {
        continue;
      } else if (c == '_') {
        ret = funcName.substring(0, i);
      }
      break;
    }
    return ret;
  }

  /**
   * Storage ids for the entries of a graph.
   *
   * @param nodes the nodes in topological order
   * @param rowPtr node_row_ptr: the first entry of node {@code i} is {@code rowPtr[i]}, length #nodes+1
   * @param shapes one shape per entry
   * @param heads the graph outputs
   * @param strategy the plan to make
   * @return one storage id per entry
   */
  public static int[] plan(List<CvmNode> nodes, long[] rowPtr, List<List<Long>> shapes, List<CvmEntryRef> heads,
      Strategy strategy) {
    int ne = shapes.size();
    if (rowPtr.length != nodes.size() + 1 || rowPtr[nodes.size()] != ne) {
      throw new IllegalArgumentException("node_row_ptr " + Arrays.toString(rowPtr) + " does not match "
          + nodes.size() + " nodes and " + ne + " entries");
    }
    int[] sid = new int[ne];
    if (strategy == Strategy.ONE_PER_ENTRY) {
      for (int e = 0; e < ne; e++) {
        sid[e] = e;
      }
      return sid;
    }
    return new Allocator(nodes, rowPtr, shapes, heads).run();
  }

  /** Re-plans a model's storage ids; everything else is kept. */
  public static CvmModel replan(CvmModel model, Strategy strategy) {
    CvmGraph g = model.graph();
    long[] rowPtr = rowPtr(g);
    int[] sid = plan(g.nodes(), rowPtr, g.attrs().shape(), g.heads(), strategy);
    CvmGraphAttrs a = g.attrs();
    CvmGraphAttrs planned = new CvmGraphAttrs(a.shape(), Arrays.stream(sid).boxed().toList(), a.precision(), a.dltype(),
        a.opAttrs(), a.deviceIndex(), a.dtype());
    return new CvmModel(new CvmGraph(g.nodes(), g.argNodes(), g.nodeRowPtr(), g.heads(), planned, g.version(),
        g.postprocess()), model.params());
  }

  /** The storage figures of a model's plan as written in its {@code storage_id}. */
  public static Summary summarize(CvmModel model) {
    CvmGraph g = model.graph();
    List<List<Long>> shapes = g.attrs().shape();
    List<Integer> sid = g.attrs().storageId();
    if (sid.size() != shapes.size()) {
      throw new IllegalArgumentException("storage_id has " + sid.size() + " entries, shape has " + shapes.size());
    }
    long[] rowPtr = rowPtr(g);
    Map<Integer, Long> slot = new TreeMap<>();
    long unplanned = 0;
    for (int e = 0; e < shapes.size(); e++) {
      long b = bytes(shapes.get(e));
      unplanned += b;
      slot.merge(sid.get(e), b, Math::max);
    }
    long planned = slot.values().stream().mapToLong(Long::longValue).sum();
    long params = 0;
    long batch = 1;
    for (int i = 0; i < g.nodes().size(); i++) {
      CvmNode n = g.nodes().get(i);
      if (!n.isVariable()) {
        continue;
      }
      List<Long> s = shapes.get((int) rowPtr[i]);
      if ("data".equals(n.name())) {
        batch = s.isEmpty() ? 1 : Math.max(1, s.get(0));
      } else {
        params += bytes(s);
      }
    }
    return new Summary(shapes.size(), slot.size(), planned, unplanned, params, batch);
  }

  /** Bytes of one int32 entry. */
  static long bytes(List<Long> shape) {
    long n = 4;
    for (long d : shape) {
      n = Math.multiplyExact(n, d);
    }
    return n;
  }

  /**
   * node_row_ptr as the runtime computes it (CVM_FORMAT.md section 1.2): one output per node, two
   * for {@code get_valid_counts}; the file's own node_row_ptr is not trusted (cvm_1.1.0 ignores it).
   */
  private static long[] rowPtr(CvmGraph g) {
    long[] r = new long[g.nodes().size() + 1];
    for (int i = 0; i < g.nodes().size(); i++) {
      CvmNode n = g.nodes().get(i);
      boolean two = !n.isVariable() && n.funcName() != null && "get_valid_counts".equals(opName(n.funcName()));
      r[i + 1] = r[i] + (two ? 2 : 1);
    }
    return r;
  }

  /** The liveness allocator. */
  private static final class Allocator {
    private final List<CvmNode> nodes;
    private final long[] rowPtr;
    private final List<List<Long>> shapes;
    private final int[] sid;
    /** Reads still to come of each entry (heads count one read that never comes). */
    private final int[] pending;
    private final boolean[] variable;
    private final boolean[] head;
    /** Largest entry of each storage id, in bytes. */
    private final List<Long> slotBytes = new ArrayList<>();
    /** Live entries in each storage id. */
    private final List<Integer> slotLive = new ArrayList<>();
    /** Free storage ids by size, oldest first within one size. */
    private final TreeMap<Long, Deque<Integer>> free = new TreeMap<>();

    Allocator(List<CvmNode> nodes, long[] rowPtr, List<List<Long>> shapes, List<CvmEntryRef> heads) {
      this.nodes = nodes;
      this.rowPtr = rowPtr;
      this.shapes = shapes;
      int ne = shapes.size();
      this.sid = new int[ne];
      Arrays.fill(sid, -1);
      this.pending = new int[ne];
      this.variable = new boolean[ne];
      this.head = new boolean[ne];
      for (int i = 0; i < nodes.size(); i++) {
        for (CvmEntryRef in : nodes.get(i).inputs()) {
          pending[entry(in)]++;
        }
        if (nodes.get(i).isVariable()) {
          variable[(int) rowPtr[i]] = true;
        }
      }
      for (CvmEntryRef h : heads) {
        head[entry(h)] = true;
      }
    }

    private int entry(CvmEntryRef r) {
      if (r.nodeId() < 0 || r.nodeId() >= nodes.size()) {
        throw new IllegalArgumentException("entry (" + r.nodeId() + ", " + r.index() + ") names no node");
      }
      long e = rowPtr[r.nodeId()] + r.index();
      if (r.index() < 0 || e >= rowPtr[r.nodeId() + 1]) {
        throw new IllegalArgumentException("entry (" + r.nodeId() + ", " + r.index() + ") names no output");
      }
      return (int) e;
    }

    int[] run() {
      for (int i = 0; i < nodes.size(); i++) {
        CvmNode n = nodes.get(i);
        int first = (int) rowPtr[i];
        int outs = (int) (rowPtr[i + 1] - first);
        if (n.isVariable()) {
          sid[first] = newSlot(bytes(shapes.get(first)));
          continue;
        }
        String op = n.funcName() == null ? "" : opName(n.funcName());
        List<Integer> ins = new ArrayList<>();
        for (CvmEntryRef r : n.inputs()) {
          ins.add(entry(r));
        }
        for (int o = 0; o < outs; o++) {
          int e = first + o;
          long size = bytes(shapes.get(e));
          if (EXCLUSIVE_OUTPUT_OPS.contains(op)) {
            sid[e] = newSlot(size);
            slotLive.set(sid[e], slotLive.get(sid[e]) + 1); // never released
          } else if (outs == 1 && IN_PLACE_OPS.contains(op) && inPlace(e, size, ins)) {
            continue;
          } else {
            sid[e] = request(size);
          }
        }
        for (int in : ins) {
          if (--pending[in] == 0 && !variable[in] && !head[in]) {
            release(sid[in]);
          }
        }
        for (int o = 0; o < outs; o++) {
          int e = first + o;
          if (pending[e] == 0 && !head[e]) {
            release(sid[e]);
          }
        }
      }
      return sid;
    }

    /** Puts entry e over an input read here for the last time, of the same size; false if none fits. */
    private boolean inPlace(int e, long size, List<Integer> ins) {
      for (int in : ins) {
        if (variable[in] || head[in] || pending[in] != 1 || bytes(shapes.get(in)) != size) {
          continue;
        }
        sid[e] = sid[in];
        slotLive.set(sid[e], slotLive.get(sid[e]) + 1);
        return true;
      }
      return false;
    }

    private int newSlot(long size) {
      slotBytes.add(size);
      slotLive.add(1);
      return slotBytes.size() - 1;
    }

    private int request(long size) {
      Map.Entry<Long, Deque<Integer>> up = free.ceilingEntry(size);
      if (up != null && up.getKey() <= size * MATCH_RANGE) {
        return take(up, true, size);
      }
      Map.Entry<Long, Deque<Integer>> down = free.lowerEntry(size);
      if (down != null && down.getKey() >= size / MATCH_RANGE) {
        return take(down, false, size);
      }
      return newSlot(size);
    }

    private int take(Map.Entry<Long, Deque<Integer>> bucket, boolean oldest, long size) {
      Deque<Integer> ids = bucket.getValue();
      int s = oldest ? ids.pollFirst() : ids.pollLast();
      if (ids.isEmpty()) {
        free.remove(bucket.getKey());
      }
      slotBytes.set(s, Math.max(slotBytes.get(s), size));
      slotLive.set(s, 1);
      return s;
    }

    private void release(int s) {
      int live = slotLive.get(s) - 1;
      slotLive.set(s, live);
      if (live == 0) {
        free.computeIfAbsent(slotBytes.get(s), k -> new ArrayDeque<>()).addLast(s);
      }
    }
  }
}

package io.mrt.runtime.exec.cvm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What an executor runs: the steps (one node, or a conv2d/dense node with the element-wise nodes
 * fused into it) and the run-time buffers of the storage ids.
 *
 * <p>Buffers: every storage id of the model keeps its semantics (entries that share an id share
 * memory, as in the reference runtime), but ids whose lifetimes do not overlap are mapped onto the
 * same physical buffer. An id lives from the first step that writes it (the start of the run for
 * data and parameters) to the last step that reads it (the end of the run for heads); two ids share
 * a buffer only when one's last read comes strictly before the other's first write, so no step
 * ever writes a buffer that one of its inputs lives in. So a model whose file gives every entry its
 * own storage id still runs with only the live intermediates in memory.
 *
 * <p>Fusion: a conv2d, dense, elemwise_add, elemwise_sub or element-wise node (relu, clip, cvm_clip,
 * cvm_right_shift, broadcast_mul by a one-element parameter) followed by relu, clip, cvm_clip,
 * cvm_right_shift or broadcast_mul-by-a-one-element-parameter nodes runs as one step when each
 * intermediate entry is read only by the next node of the chain, is not a head, no
 * non_max_suppression writes its storage id, and every other entry of that storage id is written
 * after the chain (so skipping the intermediate write is invisible); a conv2d/dense step's output
 * must not share storage with one of its inputs.
 */
final class ExecProgram {
  /** One step: reads the entries {@code in}, writes {@code out}. */
  record Step(CvmGraphLoader.OpNode node, int[] in, int[] out, CvmOp.Kernel kernel, boolean copyInput0,
      int[] zeroSids, String fused) {
  }

  final List<Step> steps;
  /** Physical buffer of each storage id, or -1 (parameter with its own array, or unused). */
  final int[] bufferOf;
  /** Size (ints) of each physical buffer. */
  final int[] bufferSize;
  /** Number of fused element-wise nodes. */
  final int fusedNodes;
  /** Bytes of the kernels' largest scratch buffer (the float planes of a conv2d's input). */
  final long scratchBytes;

  /**
   * Storage id of each entry as the executor runs it: the model's ids, except that the last entry
   * of a fused chain may get an id of its own (beyond the model's) so that the chain can write it
   * early. Values, not storage, define the outputs, so this never changes a result.
   */
  final int[] storage;

  private ExecProgram(List<Step> steps, int[] storage, int[] bufferOf, int[] bufferSize, int fusedNodes,
      long scratchBytes) {
    this.steps = steps;
    this.scratchBytes = scratchBytes;
    this.storage = storage;
    this.bufferOf = bufferOf;
    this.bufferSize = bufferSize;
    this.fusedNodes = fusedNodes;
  }

  /** Bytes of the run-time buffers (int32 values). */
  long bufferBytes() {
    long s = 0;
    for (int b : bufferSize) {
      s += 4L * b;
    }
    return s;
  }

  private static boolean shared(CvmGraphLoader.Plan plan, int s) {
    return s < plan.sharedParamSlot().length && plan.sharedParamSlot()[s];
  }

  /**
   * Whether entry {@code e} (written by an operator) may move to storage of its own: its storage is
   * not zeroed each run, and no reader writes into it.
   */
  private static boolean renamable(CvmGraphLoader.Plan plan, int e, int[] sid, Set<Integer> zeroSids,
      Set<Integer> writtenByReader) {
    return !zeroSids.contains(sid[e]) && e != plan.dataEntry() && !plan.paramByEntry().containsKey(e)
        && sid[e] < plan.sharedParamSlot().length && !writtenByReader.contains(e);
  }

  /**
   * The factor when {@code node} is broadcast_mul of entry {@code cur} by a one-element parameter
   * that has its own storage (so its value is fixed at load), with the shape of {@code cur}; else null.
   */
  private static Integer scalarFactor(CvmGraphLoader.Plan plan, CvmGraphLoader.OpNode node, int cur) {
    if (!node.op().name().equals("broadcast_mul") || node.in().length != 2) {
      return null;
    }
    int other = node.in()[0] == cur ? node.in()[1] : node.in()[1] == cur ? node.in()[0] : -1;
    if (other < 0 || other == cur) {
      return null;
    }
    int[] p = plan.paramByEntry().get(other);
    if (p == null || p.length != 1 || !plan.sharedParamSlot()[plan.storage()[other]]
        || !Arrays.equals(plan.shapes()[cur], plan.shapes()[node.out()[0]])) {
      return null;
    }
    return p[0];
  }

  static ExecProgram build(CvmGraphLoader.Plan plan, Set<Integer> zeroSids, CvmExecutor.ConvKernel kernel) {
    List<Step> steps = new ArrayList<>();
    int fused = 0;
    boolean packed = kernel == CvmExecutor.ConvKernel.PACKED || kernel == CvmExecutor.ConvKernel.PACKED_SCALAR;
    PackedKernels pk = packed ? new PackedKernels(kernel == CvmExecutor.ConvKernel.PACKED) : null;
    int[] sid = plan.storage().clone();
    int ne = sid.length;
    List<Integer> slotSizes = new ArrayList<>();
    for (int size : plan.slotSize()) {
      slotSizes.add(size);
    }
    int[] readers = new int[ne];
    // entries that a reader writes into (non_max_suppression's first input): they keep their storage
    Set<Integer> writtenByReader = new HashSet<>();
    for (CvmGraphLoader.OpNode node : plan.ops()) {
      for (int e : node.in()) {
        readers[e]++;
      }
      if (node.op().mutatesInput0() && node.in().length > 0) {
        writtenByReader.add(node.in()[0]);
      }
    }
    Set<Integer> heads = new HashSet<>();
    for (int h : plan.heads()) {
      heads.add(h);
      readers[h]++;
    }
    Map<Integer, int[]> params = plan.paramByEntry();
    List<CvmGraphLoader.OpNode> ops = plan.ops();
    // the node that reads each entry (the last one seen; only used when there is exactly one)
    Map<Integer, Integer> readerNode = new java.util.HashMap<>();
    for (int i = 0; i < ops.size(); i++) {
      for (int e : ops.get(i).in()) {
        readerNode.put(e, i);
      }
    }
    // the op index that writes each entry (-1 for variables)
    int[] writer = new int[ne];
    Arrays.fill(writer, -1);
    for (int i = 0; i < ops.size(); i++) {
      for (int e : ops.get(i).out()) {
        writer[e] = i;
      }
    }
    // the last op index that reads each entry (-1: none; heads are read after every op)
    int[] lastRead = new int[ne];
    Arrays.fill(lastRead, -1);
    for (int i = 0; i < ops.size(); i++) {
      for (int e : ops.get(i).in()) {
        lastRead[e] = i;
      }
    }
    for (int h : plan.heads()) {
      lastRead[h] = Integer.MAX_VALUE;
    }
    Map<Integer, List<Integer>> entriesOfSid = new java.util.HashMap<>();
    for (int e = 0; e < ne; e++) {
      entriesOfSid.computeIfAbsent(sid[e], x -> new ArrayList<>()).add(e);
    }
    CvmOp.Kernel k;
    boolean[] done = new boolean[ops.size()];
    for (int i = 0; i < ops.size(); i++) {
      if (done[i]) {
        continue;
      }
      CvmGraphLoader.OpNode node = ops.get(i);
      boolean conv = node.op() instanceof ConvOp;
      boolean dense = node.op() instanceof DenseOp;
      boolean binary = node.op().name().equals("elemwise_add") || node.op().name().equals("elemwise_sub");
      // an element-wise node of one tensor input heads a chain of its own: its input's index, or -1
      int unaryInput = -1;
      Integer headFactor = null;
      if (Epilogue.fusable(node.op()) && node.in().length == 1) {
        unaryInput = 0;
      } else {
        for (int j = 0; j < node.in().length && unaryInput < 0; j++) {
          headFactor = scalarFactor(plan, node, node.in()[j]);
          unaryInput = headFactor != null ? j : -1;
        }
      }
      boolean unary = unaryInput >= 0;
      if (pk == null || !(conv || dense || binary || unary)) {
        steps.add(new Step(node, node.in(), node.out(), node.kernel(), node.copyInput0(), new int[0], null));
        continue;
      }
      List<CvmGraphLoader.OpNode> chain = new ArrayList<>();
      Map<CvmGraphLoader.OpNode, Integer> consts = new java.util.HashMap<>();
      List<Integer> chainIdx = new ArrayList<>();
      Set<Integer> chainEntries = new HashSet<>();
      chainEntries.add(node.out()[0]);
      int cur = node.out()[0];
      while (readers[cur] == 1 && !heads.contains(cur) && !zeroSids.contains(sid[cur])
          && readerNode.containsKey(cur)) {
        int j = readerNode.get(cur);
        CvmGraphLoader.OpNode next = ops.get(j);
        Integer factor = scalarFactor(plan, next, cur);
        if (factor != null) {
          consts.put(next, factor);
        } else if (!Epilogue.fusable(next.op()) || next.in().length != 1 || next.in()[0] != cur) {
          break;
        }
        chain.add(next);
        chainIdx.add(j);
        cur = next.out()[0];
        chainEntries.add(cur);
      }
      // the fused step runs at node i: it skips the writes of the intermediates and writes the
      // chain's last entry early, which must be invisible. Skipping a write changes no read (an
      // intermediate has one reader, inside the chain, and a valid plan reads no other entry of its
      // storage after it is written). So every other entry of the storage id of the last entry
      // must be dead before node i (last read before it) or written after the chain ends; this
      // holds for one storage id per entry and for liveness plans alike.
      while (!chain.isEmpty()) {
        int lastNode = chainIdx.get(chainIdx.size() - 1);
        boolean ok = true;
        int last = chain.get(chain.size() - 1).out()[0];
        for (int f : entriesOfSid.get(sid[last])) {
          boolean inPlaceInput = (binary || unary) && lastRead[f] == i && Arrays.stream(node.in()).anyMatch(x -> x == f);
          if (!chainEntries.contains(f) && writer[f] <= lastNode && lastRead[f] >= i && !inPlaceInput) {
            ok = false;
          }
        }
        // a GEMM's written entry must not share storage with one of its inputs
        for (int e : node.in()) {
          ok &= binary || unary || sid[e] != sid[last];
        }
        if (ok) {
          break;
        }
        if (renamable(plan, last, sid, zeroSids, writtenByReader)) {
          // give the chain's result storage of its own and check again
          entriesOfSid.get(sid[last]).remove(Integer.valueOf(last));
          sid[last] = slotSizes.size();
          slotSizes.add(CvmOp.size(plan.shapes()[last]));
          entriesOfSid.put(sid[last], new ArrayList<>(List.of(last)));
          continue;
        }
        chainEntries.remove(last);
        chain.remove(chain.size() - 1);
        chainIdx.remove(chainIdx.size() - 1);
      }
      if (unary) {
        // the node itself is the first function of the pass, fused tail or not: the pass runs
        // vectorised and over chunks on every thread
        List<CvmGraphLoader.OpNode> all = new ArrayList<>();
        all.add(node);
        all.addAll(chain);
        if (headFactor != null) {
          consts.put(node, headFactor);
        }
        Epilogue ep = Epilogue.of(all, consts);
        int n = CvmOp.size(plan.shapes()[node.out()[0]]);
        k = pk.unary(unaryInput, n, ep);
        for (int j : chainIdx) {
          done[j] = true;
        }
        fused += chain.size();
        int outEntry = all.get(all.size() - 1).out()[0];
        steps.add(new Step(node, node.in(), new int[] {outEntry}, k, node.copyInput0(), new int[0],
            chain.isEmpty() ? null : String.join("+", ep.names.subList(1, ep.names.size()))));
        continue;
      }
      if (binary) {
        if (chain.isEmpty()) {
          steps.add(new Step(node, node.in(), node.out(), node.kernel(), node.copyInput0(), new int[0], null));
          continue;
        }
        Epilogue ep = Epilogue.of(chain, consts);
        int n = CvmOp.size(plan.shapes()[node.out()[0]]);
        k = pk.elementwise(node.op().name().equals("elemwise_add"), n, ep);
        for (int j : chainIdx) {
          done[j] = true;
        }
        fused += chain.size();
        steps.add(new Step(node, node.in(), new int[] {chain.get(chain.size() - 1).out()[0]}, k, false, new int[0],
            String.join("+", ep.names)));
        continue;
      }
      int outEntry = chain.isEmpty() ? node.out()[0] : chain.get(chain.size() - 1).out()[0];
      Epilogue ep = Epilogue.of(chain, consts);
      int[][] shapes = plan.shapes();
      boolean bias = node.attrs().b("use_bias");
      int wEntry = node.in()[1];
      boolean wFixed = params.containsKey(wEntry) && plan.sharedParamSlot()[sid[wEntry]];
      if (conv) {
        int[][] inShapes = {shapes[node.in()[0]], shapes[wEntry]};
        ConvOp.Geometry g = ConvOp.geometry(node.attrs(), inShapes, new int[][] {shapes[node.out()[0]]});
        int[] packedW = wFixed && !PackedKernels.depthwise(g) ? PackedKernels.packConv(g, params.get(wEntry)) : null;
        k = pk.conv(g, packedW, bias, ep);
      } else {
        int m = shapes[node.in()[0]][0];
        int kk = shapes[node.in()[0]][1];
        int u = shapes[wEntry][0];
        int[] packedW = wFixed ? PackedKernels.packDense(u, kk, params.get(wEntry)) : null;
        k = pk.dense(m, kk, u, packedW, bias, ep);
      }
      for (int j : chainIdx) {
        done[j] = true;
      }
      fused += chain.size();
      steps.add(new Step(node, node.in(), new int[] {outEntry}, k, false, new int[0],
          chain.isEmpty() ? null : String.join("+", ep.names)));
    }
    // lifetimes of storage ids over the steps
    int nslots = slotSizes.size();
    int[] def = new int[nslots];
    int[] use = new int[nslots];
    Arrays.fill(def, Integer.MAX_VALUE);
    Arrays.fill(use, -2);
    for (int e : plan.paramByEntry().keySet()) {
      def[sid[e]] = -1;
      use[sid[e]] = Math.max(use[sid[e]], -1);
    }
    def[sid[plan.dataEntry()]] = -1;
    use[sid[plan.dataEntry()]] = Math.max(use[sid[plan.dataEntry()]], -1);
    for (int i = 0; i < steps.size(); i++) {
      Step s = steps.get(i);
      for (int e : s.out()) {
        def[sid[e]] = Math.min(def[sid[e]], i);
        use[sid[e]] = Math.max(use[sid[e]], i);
      }
      for (int e : s.in()) {
        use[sid[e]] = Math.max(use[sid[e]], i);
        def[sid[e]] = Math.min(def[sid[e]], i);
      }
    }
    for (int h : plan.heads()) {
      use[sid[h]] = steps.size();
      def[sid[h]] = Math.min(def[sid[h]], steps.size());
    }
    // zero-each-run ids are zeroed just before their first writer
    List<List<Integer>> zeroAt = new ArrayList<>();
    for (int i = 0; i < steps.size(); i++) {
      zeroAt.add(new ArrayList<>());
    }
    for (int s : zeroSids) {
      if (def[s] >= 0 && def[s] < steps.size() && !shared(plan, s)) {
        zeroAt.get(def[s]).add(s);
      }
    }
    for (int i = 0; i < steps.size(); i++) {
      Step s = steps.get(i);
      if (!zeroAt.get(i).isEmpty()) {
        steps.set(i, new Step(s.node(), s.in(), s.out(), s.kernel(), s.copyInput0(),
            zeroAt.get(i).stream().mapToInt(Integer::intValue).toArray(), s.fused()));
      }
    }
    // greedy assignment in order of first write; best fit by size
    Integer[] order = new Integer[nslots];
    for (int s = 0; s < nslots; s++) {
      order[s] = s;
    }
    Arrays.sort(order, (p, q) -> def[p] != def[q] ? Integer.compare(def[p], def[q]) : Integer.compare(p, q));
    int[] bufferOf = new int[nslots];
    Arrays.fill(bufferOf, -1);
    List<Integer> sizes = new ArrayList<>();
    List<Integer> busyUntil = new ArrayList<>();
    for (int s : order) {
      if (use[s] < -1 || shared(plan, s)) {
        continue;
      }
      int need = slotSizes.get(s);
      int best = -1;
      for (int b = 0; b < sizes.size(); b++) {
        if (busyUntil.get(b) >= def[s]) {
          continue;
        }
        if (best < 0) {
          best = b;
          continue;
        }
        int sb = sizes.get(b);
        int sbest = sizes.get(best);
        boolean fits = sb >= need;
        boolean bestFits = sbest >= need;
        if (fits && (!bestFits || sb < sbest) || !fits && !bestFits && sb > sbest) {
          best = b;
        }
      }
      if (best < 0) {
        sizes.add(need);
        busyUntil.add(use[s]);
        bufferOf[s] = sizes.size() - 1;
      } else {
        sizes.set(best, Math.max(sizes.get(best), need));
        busyUntil.set(best, use[s]);
        bufferOf[s] = best;
      }
    }
    return new ExecProgram(List.copyOf(steps), sid, bufferOf, sizes.stream().mapToInt(Integer::intValue).toArray(), fused,
        pk == null ? 0 : pk.scratchBytes());
  }
}

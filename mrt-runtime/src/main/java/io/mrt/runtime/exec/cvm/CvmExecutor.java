package io.mrt.runtime.exec.cvm;

import io.mrt.runtime.VectorApi;
import io.mrt.runtime.io.cvm.CvmModel;
import io.mrt.runtime.io.npy.NpyArray;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * Runs a compiled CVM model with the exact integer semantics of the reference CPU runtime
 * (CVM_OPS.md). {@link #load} makes every load-time check of CVM_FORMAT.md section 1.4 and the
 * params checks of section 2 and refuses a model with a {@link CvmLoadException} naming the node.
 * {@link #run} clips the input to the precision of {@code data}, runs the nodes in order on a
 * storage pool laid out by the model's {@code storage_id} (so in-place sharing behaves as in the
 * reference), and returns the heads, narrowed to int8 when every head has precision &lt;= 8 (as
 * the C API does). Results are identical for any number of threads. An executor may run several
 * inputs concurrently; each run takes a storage pool of its own (pools of finished runs are reused).
 */
public final class CvmExecutor {
  /** The conv2d and dense kernels. */
  public enum ConvKernel {
    /**
     * Weights packed once at load, the whole batch as one GEMM over output tiles, relu/clip/
     * cvm_clip/cvm_right_shift fused into the conv2d or dense node, Vector API inner loops when
     * {@code jdk.incubator.vector} is present (else {@link #PACKED_SCALAR}); multi-threaded (default).
     */
    PACKED,
    /** {@link #PACKED} with plain Java inner loops (no Vector API). */
    PACKED_SCALAR,
    /** im2col tiles of one image times the weights (groups == 1 only), multi-threaded, no fusion. */
    BLOCKED,
    /** The plain seven-deep conv2d loop, single-threaded, no fusion (the reference baseline). */
    NAIVE
  }

  /**
   * Execution options.
   *
   * @param threads worker threads (1 = run on the calling thread)
   * @param convKernel the conv2d kernel
   */
  public record Options(int threads, ConvKernel convKernel) {
    /** Validates. */
    public Options {
      if (threads < 1) {
        throw new IllegalArgumentException("threads must be >= 1, found " + threads);
      }
      if (convKernel == null) {
        throw new IllegalArgumentException("convKernel must not be null");
      }
    }

    /** All available processors, packed kernels. */
    public static Options defaults() {
      return new Options(Runtime.getRuntime().availableProcessors(), ConvKernel.PACKED);
    }

    /** The given thread count, packed kernels. */
    public static Options threads(int threads) {
      return new Options(threads, ConvKernel.PACKED);
    }
  }

  /**
   * System property: with {@code -Dmrt.cvm.verify=true}, a {@link ConvKernel#PACKED} executor checks
   * every step of every run against the plain-Java kernels ({@link ConvKernel#PACKED_SCALAR}, one
   * thread, on copies of the step's inputs) and fails the run naming the first step whose outputs
   * differ. A diagnostic for the Vector API kernels as the JIT compiles them (a miscompiled kernel
   * shows up as one step whose vector lanes disagree); it about doubles the run time.
   */
  public static final String VERIFY_PROPERTY = "mrt.cvm.verify";

  /** Runs the plain-Java kernels of a verified run. */
  private static final RunContext SERIAL = new RunContext(null, ConvKernel.PACKED_SCALAR);

  private static final Map<Integer, WorkerGang> GANGS = new ConcurrentHashMap<>();

  private final CvmGraphLoader.Plan plan;
  private final RunContext rc;
  private final boolean int8Output;
  /** Buffer pools of finished runs, reused by later runs (no large allocation per run). */
  private final ConcurrentLinkedDeque<Pool> freePools = new ConcurrentLinkedDeque<>();
  /** The entries of the params, in the order a run copies them into their slots. */
  private final int[] paramEntries;
  /** The values of {@link #paramEntries}. */
  private final int[][] paramValues;
  /** Per step: the param value of input 0 when the step copies it first ({@code copyInput0}), else null. */
  private final int[][] copiedParam;
  private final Options options;
  private final ExecProgram program;
  /** The same steps with the plain-Java kernels, when runs are verified ({@link #VERIFY_PROPERTY}); else null. */
  private final ExecProgram plain;

  private CvmExecutor(CvmGraphLoader.Plan plan, Options options) {
    this.plan = plan;
    WorkerGang gang = options.threads() <= 1 ? null
        : GANGS.computeIfAbsent(options.threads(), WorkerGang::new);
    this.rc = new RunContext(gang, options.convKernel());
    int maxPrec = 0;
    for (int h : plan.heads()) {
      maxPrec = Math.max(maxPrec, plan.precision()[h]);
    }
    this.int8Output = maxPrec <= 8;
    // slots a kernel may leave partly unwritten (non_max_suppression's early return): zeroed per run
    java.util.TreeSet<Integer> z = new java.util.TreeSet<>();
    for (CvmGraphLoader.OpNode node : plan.ops()) {
      if (node.op().mayLeaveOutputUnwritten()) {
        for (int e : node.out()) {
          z.add(plan.storage()[e]);
        }
      }
    }
    this.options = options;
    this.program = ExecProgram.build(plan, z, options.convKernel());
    this.paramEntries = new int[plan.paramByEntry().size()];
    this.paramValues = new int[paramEntries.length][];
    int pi = 0;
    for (Map.Entry<Integer, int[]> p : plan.paramByEntry().entrySet()) {
      paramEntries[pi] = p.getKey();
      paramValues[pi++] = p.getValue();
    }
    this.copiedParam = new int[program.steps.size()][];
    for (int i = 0; i < copiedParam.length; i++) {
      ExecProgram.Step step = program.steps.get(i);
      copiedParam[i] = step.copyInput0() ? plan.paramByEntry().get(step.in()[0]) : null;
    }
    this.plain = options.convKernel() == ConvKernel.PACKED && Boolean.getBoolean(VERIFY_PROPERTY)
        ? ExecProgram.build(plan, z, ConvKernel.PACKED_SCALAR) : null;
    if (plain != null) {
      for (int i = 0; i < program.steps.size(); i++) {
        ExecProgram.Step a = program.steps.get(i);
        ExecProgram.Step b = plain.steps.get(i);
        if (!Arrays.equals(a.in(), b.in()) || !Arrays.equals(a.out(), b.out())) {
          throw new IllegalStateException("the plain-Java program differs from the packed one at step " + i);
        }
      }
    }
  }

  /**
   * Checks and prepares a model with the default options.
   *
   * @param model graph and params
   * @param source names the model in error messages (for example its directory)
   * @throws CvmLoadException when a load-time check refuses the model
   */
  public static CvmExecutor load(CvmModel model, String source) {
    return load(model, source, Options.defaults());
  }

  /** Checks and prepares a model. */
  public static CvmExecutor load(CvmModel model, String source, Options options) {
    return new CvmExecutor(CvmGraphLoader.load(source, model.graph(), model.params()), options);
  }

  /** The same model with other options (no re-check; packed weights are prepared again). */
  public CvmExecutor withOptions(Options options) {
    return new CvmExecutor(plan, options);
  }

  /** The shape of the input {@code data}. */
  public long[] inputShape() {
    return Arrays.stream(plan.shapes()[plan.dataEntry()]).asLongStream().toArray();
  }

  /** The precision of {@code data} (inputs are clipped to it). */
  public int inputPrecision() {
    return plan.precision()[plan.dataEntry()];
  }

  /** Bytes per input element in the C API: 1 when the precision of data is &lt;= 8, else 4. */
  public int inputElementBytes() {
    return inputPrecision() <= 8 ? 1 : 4;
  }

  /** Number of heads. */
  public int outputCount() {
    return plan.heads().length;
  }

  /** The shape of head {@code i}. */
  public long[] outputShape(int i) {
    return Arrays.stream(plan.shapes()[plan.heads()[i]]).asLongStream().toArray();
  }

  /** The inferred precision of head {@code i}. */
  public int outputPrecision(int i) {
    return plan.precision()[plan.heads()[i]];
  }

  /** Whether outputs are narrowed to int8 (every head has precision &lt;= 8). */
  public boolean int8Output() {
    return int8Output;
  }

  /** The gas estimate: operations plus memory cost (CVM_OPS.md section 5). */
  public long gas() {
    return plan.ops64() + plan.mem();
  }

  /** Bytes of the storage pool the model's storage ids describe. */
  public long storageBytes() {
    return plan.storageBytes();
  }

  /**
   * Bytes of the run-time buffers of one run (int32 values of data, intermediates and heads; storage
   * ids with disjoint lifetimes share a buffer).
   */
  public long bufferBytes() {
    return program.bufferBytes();
  }

  /**
   * Bytes of the kernels' largest scratch buffer: the float planes of the largest conv2d input
   * (groups == 1), one per thread that calls {@link #run}, kept between runs.
   */
  public long scratchBytes() {
    return program.scratchBytes;
  }

  /** Bytes of the parameters (int32 values). */
  public long paramBytes() {
    long s = 0;
    for (int[] p : plan.paramByEntry().values()) {
      s += 4L * p.length;
    }
    return s;
  }

  /**
   * Multiply-accumulates of one run: conv2d output size times (C/groups)*kh*kw plus dense output
   * size times K.
   */
  public long macs() {
    long m = 0;
    for (CvmGraphLoader.OpNode node : plan.ops()) {
      if (node.op() instanceof ConvOp || node.op() instanceof DenseOp) {
        int[] w = plan.shapes()[node.in()[1]];
        m += (long) CvmOp.size(plan.shapes()[node.out()[0]]) * (CvmOp.size(w) / w[0]);
      }
    }
    return m;
  }

  /** The options of this executor. */
  public Options options() {
    return options;
  }

  /** Whether the packed kernels run with the Vector API (PACKED and jdk.incubator.vector present). */
  public boolean vectorKernels() {
    return options.convKernel() == ConvKernel.PACKED && VectorApi.AVAILABLE;
  }

  /** Number of execution steps (operator nodes minus the element-wise nodes fused into conv2d/dense). */
  public int stepCount() {
    return program.steps.size();
  }

  /** Number of operator nodes. */
  public int operatorCount() {
    return plan.ops().size();
  }

  /** Runs one input given as a .npy array of the exact shape of {@code data} (any integer dtype). */
  public CvmResult run(NpyArray input) {
    if (!input.dtype().isInteger()) {
      throw new CvmInferenceException(plan.source() + ": input data must be an integer array (int8 or int32), "
          + "found " + input.dtype());
    }
    if (!Arrays.equals(input.shape(), inputShape())) {
      throw new CvmInferenceException(plan.source() + ": input data must have shape "
          + Arrays.toString(inputShape()) + ", found " + Arrays.toString(input.shape()));
    }
    return run(input.toIntArray());
  }

  /** Runs one input given as the flat (C-order) values of {@code data}. */
  public CvmResult run(int[] input) {
    int[] dataShape = plan.shapes()[plan.dataEntry()];
    int n = CvmOp.size(dataShape);
    if (input.length != n) {
      throw new CvmInferenceException(plan.source() + ": input data must have " + n + " values (shape "
          + Arrays.toString(dataShape) + "), found " + input.length);
    }
    int[] sid = program.storage;
    Pool pool = freePools.poll();
    if (pool == null) {
      pool = new Pool(program);
    }
    int[][] bufs = pool.bufs;
    int[][] slots = pool.slots;
    for (int s = 0; s < slots.length; s++) {
      slots[s] = program.bufferOf[s] >= 0 ? bufs[program.bufferOf[s]] : null;
    }
    for (int p = 0; p < paramEntries.length; p++) {
      int s = sid[paramEntries[p]];
      if (plan.sharedParamSlot()[s]) {
        slots[s] = paramValues[p];
      } else {
        System.arraycopy(paramValues[p], 0, slots[s], 0, paramValues[p].length);
      }
    }
    int r = CvmOp.range(inputPrecision());
    int[] data = slots[sid[plan.dataEntry()]];
    for (int i = 0; i < n; i++) {
      int v = input[i];
      data[i] = v > r ? r : (v < -r ? -r : v);
    }
    for (int stepIndex = 0; stepIndex < program.steps.size(); stepIndex++) {
      ExecProgram.Step step = program.steps.get(stepIndex);
      for (int s : step.zeroSids()) {
        Arrays.fill(slots[s], 0);
      }
      if (step.copyInput0()) {
        int s = sid[step.in()[0]];
        if (plan.sharedParamSlot()[s] && slots[s] == copiedParam[stepIndex]) {
          slots[s] = slots[s].clone();
        }
      }
      int[][] in = pool.in[stepIndex];
      for (int j = 0; j < in.length; j++) {
        in[j] = slots[sid[step.in()[j]]];
      }
      int[][] out = pool.out[stepIndex];
      for (int j = 0; j < out.length; j++) {
        out[j] = slots[sid[step.out()[j]]];
      }
      if (plain == null) {
        step.kernel().run(in, out, rc);
      } else {
        runVerified(stepIndex, in, out);
      }
    }
    List<CvmResult.Output> outs = new ArrayList<>();
    for (int h : plan.heads()) {
      int[] shape = plan.shapes()[h];
      int size = CvmOp.size(shape);
      int[] v = Arrays.copyOf(slots[sid[h]], size);
      if (int8Output) {
        for (int i = 0; i < size; i++) {
          v[i] = (byte) v[i];
        }
      }
      outs.add(new CvmResult.Output(Arrays.stream(shape).asLongStream().toArray(), v));
    }
    freePools.push(pool);
    return new CvmResult(outs, int8Output);
  }

  /**
   * What one run works in, reused by later runs: the buffers, the slots (each storage id's array:
   * its buffer, a param, or a copy of a param a step mutates) and each step's input and output
   * arrays (refilled from the slots before the step).
   */
  private static final class Pool {
    final int[][] bufs;
    final int[][] slots;
    final int[][][] in;
    final int[][][] out;

    Pool(ExecProgram program) {
      bufs = new int[program.bufferSize.length][];
      for (int b = 0; b < bufs.length; b++) {
        bufs[b] = new int[program.bufferSize[b]];
      }
      slots = new int[program.bufferOf.length][];
      in = new int[program.steps.size()][][];
      out = new int[program.steps.size()][][];
      for (int i = 0; i < in.length; i++) {
        in[i] = new int[program.steps.get(i).in().length][];
        out[i] = new int[program.steps.get(i).out().length][];
      }
    }
  }

  /**
   * Runs step {@code i} with the packed kernels, then its plain-Java kernel on one thread on copies
   * of its inputs (an output that is also an input starts from the input's copy, the others from
   * their values before the step), and fails when an output differs.
   */
  private void runVerified(int i, int[][] in, int[][] out) {
    ExecProgram.Step step = program.steps.get(i);
    int[][] in2 = new int[in.length][];
    for (int j = 0; j < in.length; j++) {
      in2[j] = in[j].clone();
    }
    int[][] out2 = new int[out.length][];
    for (int j = 0; j < out.length; j++) {
      for (int q = 0; q < in.length && out2[j] == null; q++) {
        out2[j] = out[j] == in[q] ? in2[q] : null;
      }
      out2[j] = out2[j] == null ? out[j].clone() : out2[j];
    }
    step.kernel().run(in, out, rc);
    plain.steps.get(i).kernel().run(in2, out2, SERIAL);
    for (int j = 0; j < out.length; j++) {
      int e = step.out()[j];
      String d = difference(out[j], out2[j], CvmOp.size(plan.shapes()[e]));
      if (d != null) {
        CvmGraphLoader.OpNode node = step.node();
        throw new CvmInferenceException(plan.source() + ": step " + i + ", node " + node.nid() + " '" + node.name()
            + "' (" + node.op().name() + (step.fused() == null ? "" : ", fused " + step.fused()) + "), output " + j
            + " " + Arrays.toString(plan.shapes()[e]) + ": the Vector API kernel and the plain-Java kernel disagree: "
            + d);
      }
    }
  }

  /**
   * Null when {@code vector[0, n)} equals {@code plain[0, n)}; else how many values differ and the
   * first of them.
   */
  static String difference(int[] vector, int[] plain, int n) {
    int first = -1;
    int count = 0;
    for (int i = 0; i < n; i++) {
      if (vector[i] != plain[i]) {
        first = first < 0 ? i : first;
        count++;
      }
    }
    return count == 0 ? null : count + " of " + n + " values differ, the first at index " + first + ": "
        + vector[first] + " (vector) against " + plain[first] + " (plain)";
  }
}

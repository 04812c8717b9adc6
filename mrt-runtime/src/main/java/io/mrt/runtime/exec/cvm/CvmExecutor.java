package io.mrt.runtime.exec.cvm;

import io.mrt.runtime.io.cvm.CvmModel;
import io.mrt.runtime.io.npy.NpyArray;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ForkJoinPool;

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
  /** The conv2d (groups == 1) kernel. */
  public enum ConvKernel {
    /** im2col tiles times the weights, multi-threaded (default). */
    BLOCKED,
    /** The plain seven-deep loop, single-threaded (for comparison). */
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

    /** All available processors, blocked conv2d. */
    public static Options defaults() {
      return new Options(Runtime.getRuntime().availableProcessors(), ConvKernel.BLOCKED);
    }

    /** The given thread count, blocked conv2d. */
    public static Options threads(int threads) {
      return new Options(threads, ConvKernel.BLOCKED);
    }
  }

  private static final Map<Integer, ForkJoinPool> POOLS = new ConcurrentHashMap<>();

  private final CvmGraphLoader.Plan plan;
  private final RunContext rc;
  private final boolean int8Output;
  /** Storage pools of finished runs, reused by later runs (no large allocation per run). */
  private final ConcurrentLinkedDeque<int[][]> freePools = new ConcurrentLinkedDeque<>();
  /** Slots a kernel may leave partly unwritten (non_max_suppression's early return): zeroed per run. */
  private final int[] zeroEachRun;

  private CvmExecutor(CvmGraphLoader.Plan plan, Options options) {
    this.plan = plan;
    ForkJoinPool pool = options.threads() <= 1 ? null
        : POOLS.computeIfAbsent(options.threads(), ForkJoinPool::new);
    this.rc = new RunContext(pool, options.threads(), options.convKernel());
    int maxPrec = 0;
    for (int h : plan.heads()) {
      maxPrec = Math.max(maxPrec, plan.precision()[h]);
    }
    this.int8Output = maxPrec <= 8;
    java.util.TreeSet<Integer> z = new java.util.TreeSet<>();
    for (CvmGraphLoader.OpNode node : plan.ops()) {
      if (node.op().mayLeaveOutputUnwritten()) {
        for (int e : node.out()) {
          z.add(plan.storage()[e]);
        }
      }
    }
    this.zeroEachRun = z.stream().mapToInt(Integer::intValue).toArray();
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

  /** The same model with other options (no re-check). */
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

  /** Bytes of the storage pool. */
  public long storageBytes() {
    return plan.storageBytes();
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
    int[] sid = plan.storage();
    int[][] slots = freePools.poll();
    if (slots == null) {
      slots = new int[plan.slotSize().length][];
      for (int s = 0; s < slots.length; s++) {
        if (!plan.sharedParamSlot()[s]) {
          slots[s] = new int[plan.slotSize()[s]];
        }
      }
    } else {
      for (int s : zeroEachRun) {
        if (!plan.sharedParamSlot()[s]) {
          Arrays.fill(slots[s], 0);
        }
      }
    }
    for (Map.Entry<Integer, int[]> p : plan.paramByEntry().entrySet()) {
      int s = sid[p.getKey()];
      if (plan.sharedParamSlot()[s]) {
        slots[s] = p.getValue();
      } else {
        System.arraycopy(p.getValue(), 0, slots[s], 0, p.getValue().length);
      }
    }
    int r = CvmOp.range(inputPrecision());
    int[] data = slots[sid[plan.dataEntry()]];
    for (int i = 0; i < n; i++) {
      int v = input[i];
      data[i] = v > r ? r : (v < -r ? -r : v);
    }
    for (CvmGraphLoader.OpNode node : plan.ops()) {
      if (node.copyInput0()) {
        int s = sid[node.in()[0]];
        if (plan.sharedParamSlot()[s] && slots[s] == plan.paramByEntry().get(node.in()[0])) {
          slots[s] = slots[s].clone();
        }
      }
      int[][] in = new int[node.in().length][];
      for (int j = 0; j < in.length; j++) {
        in[j] = slots[sid[node.in()[j]]];
      }
      int[][] out = new int[node.out().length][];
      for (int j = 0; j < out.length; j++) {
        out[j] = slots[sid[node.out()[j]]];
      }
      node.kernel().run(in, out, rc);
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
    freePools.push(slots);
    return new CvmResult(outs, int8Output);
  }
}

package io.mrt.runtime.stage;

import io.mrt.runtime.config.MrtConfig;
import io.mrt.runtime.data.Batch;
import io.mrt.runtime.data.BatchIterator;
import io.mrt.runtime.io.cvm.CvmExt;
import io.mrt.runtime.io.cvm.CvmModel;
import io.mrt.runtime.io.cvm.CvmModelWriter;
import io.mrt.runtime.io.npy.NpyArray;
import io.mrt.runtime.registry.OpTable;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * The compile stage (MRT's {@code compile_to_cvm}): the quantized graph with the input batch
 * COMPILE.BATCH is lowered to CVM operators ({@link CvmCompiler}) and written to
 * {@code DUMP_DIR/NAME_cvm/} as {@code symbol}, {@code params}, {@code data.npy} (the first dataset
 * batch, quantized as the runtime takes it) and {@code ext} ({@code inputs_ext}, {@code oscales},
 * {@code input_shapes}), all at once (a temporary folder, then a rename).
 */
public final class CompileStage {
  private CompileStage() {}

  /** What the stage wrote. */
  public record Result(Path dir, CvmModel model, long[] inputShape) {}

  /** Runs the stage from the quantize stage's files. */
  public static Result run(MrtConfig c, OpTable ops) {
    ModelFiles files = ModelFiles.of(c);
    QuantizedModel q = QuantizedModel.read(files);
    int batch = c.integer("COMPILE.BATCH");
    long[] shape = c.inputShape(batch);
    CvmModel model = CvmCompiler.compile(q.model(), ops, shape);
    BatchIterator first = BatchIterator.of(StageData.dataset(c, ops.datasets(), io.mrt.runtime.data.Split.TEST, batch),
        StageData.preprocessing(c, ops.datasets()), batch, 1);
    Batch b = first.next();
    int[] data = q.input().apply(b.data());
    if (data.length != Arrays.stream(shape).reduce(1, (x, y) -> x * y)) {
      data = Arrays.copyOf(data, (int) Arrays.stream(shape).reduce(1, (x, y) -> x * y));
    }
    NpyArray npy = q.inputPrecision() <= 8 ? NpyArray.ofInt8(shape, data) : NpyArray.ofInt32(shape, data);
    CvmExt ext = new CvmExt(Map.of("data", new CvmExt.InputExt(q.inputScale(), q.inputPrecision())),
        q.outputScales(), Map.of("data", Arrays.stream(shape).boxed().toList()));
    Path dir = files.cvmDir();
    CvmModelWriter.write(dir, model, npy, ext);
    return new Result(dir, model, shape);
  }
}

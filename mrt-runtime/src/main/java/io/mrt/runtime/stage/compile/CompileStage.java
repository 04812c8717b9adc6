package io.mrt.runtime.stage.compile;

import io.mrt.runtime.data.Batch;
import io.mrt.runtime.data.BatchIterator;
import io.mrt.runtime.io.cvm.CvmExt;
import io.mrt.runtime.io.cvm.CvmModel;
import io.mrt.runtime.io.cvm.CvmModelWriter;
import io.mrt.runtime.io.cvm.CvmStoragePlan;
import io.mrt.runtime.io.npy.NpyArray;
import io.mrt.runtime.registry.OpTable;
import io.mrt.runtime.stage.QuantizedModel;
import io.mrt.runtime.stage.Stage;
import io.mrt.runtime.stage.StageContext;
import io.mrt.runtime.stage.StageFiles;
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
public final class CompileStage implements Stage<CompileOptions, CompileStage.Result> {
  /** The stage. */
  public static final CompileStage STAGE = new CompileStage();

  private CompileStage() {}

  /** What the stage wrote. */
  public record Result(Path dir, CvmModel model, long[] inputShape) {}

  @Override
  public String name() {
    return "compile";
  }

  /** Runs the stage from the quantize stage's files; prints the folder written and its storage plan. */
  @Override
  public Result run(StageContext context, CompileOptions options) {
    StageFiles files = context.files();
    StageContext.requireInput(files.allQuantize("ext"), "quantize");
    OpTable ops = context.ops();
    QuantizedModel q = QuantizedModel.read(files);
    int batch = options.batch();
    long[] shape = context.inputShape(batch);
    CvmModel model = CvmCompiler.compile(q.model(), ops, shape);
    BatchIterator first = context.data().test(batch, 1);
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
    context.out().println("compiled CVM model: " + dir);
    context.out().println(CvmStoragePlan.summarize(model).line());
    return new Result(dir, model, shape);
  }
}

package io.mrt.runtime.stage.prepare;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.mrt.api.graph.Model;
import io.mrt.api.graph.Shape;
import io.mrt.runtime.MrtException;
import io.mrt.runtime.io.AtomicFiles;
import io.mrt.runtime.io.mxnet.ModelFiles;
import io.mrt.runtime.io.mxnet.MxnetModels;
import io.mrt.runtime.io.onnx.OnnxModels;
import io.mrt.runtime.pass.AttachInputShapePass;
import io.mrt.runtime.pass.ImportOpsPass;
import io.mrt.runtime.pass.ModelSplitter;
import io.mrt.runtime.pass.PassContext;
import io.mrt.runtime.pass.PassManager;
import io.mrt.runtime.pass.PassReport;
import io.mrt.runtime.stage.Stage;
import io.mrt.runtime.stage.StageContext;
import io.mrt.runtime.stage.StageFiles;
import io.mrt.runtime.registry.OpTable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The prepare stage of MRT V3 (spec MRT_PIPELINE.md section 2), a function from files to files:
 * <ol>
 *   <li>read {@code MODEL_DIR/MODEL_NAME} ({@code -symbol.json} + {@code -NNNN.params}, or MRT's
 *       {@code .json} + {@code .params});
 *   <li>{@code fix_original_model}: duplicate name renaming and parameter prefix removal, written
 *       as {@code .fixed.json/.params} (the float reference of evaluate);
 *   <li>MRT's {@code init} passes with {@code PREPARE.INPUT_SHAPE} (batch axis -1, attached with
 *       batch 1 as MRT does), written as {@code .prepare.json/.prepare.params} and
 *       {@code .prepare.conf} ({@code {"input_shape": [...]}});
 *   <li>with {@code PREPARE.SPLIT_KEYS}: the split, written as {@code .base.*} and {@code .top.*}
 *       ({@code split_keys} is added to the conf).
 * </ol>
 * Everything is computed before the first file is written; each file is written under a
 * temporary name and renamed.
 */
public final class PrepareStage implements Stage<PrepareOptions, PrepareStage.Result> {
  /** The stage. */
  public static final PrepareStage STAGE = new PrepareStage();

  private static final Logger LOG = LoggerFactory.getLogger(PrepareStage.class);
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * What the stage produced.
   *
   * @param fixed the fixed original model
   * @param prepared the prepared model
   * @param split base and top when split keys were given
   * @param reports one report per pass run (fix_original_model, then prepare), in order
   * @param written the files written, in order
   */
  public record Result(Model fixed, Model prepared, Optional<ModelSplitter.Split> split, List<PassReport> reports,
      List<Path> written) {
    /** Copies the lists. */
    public Result {
      reports = List.copyOf(reports);
      written = List.copyOf(written);
    }
  }

  private PrepareStage() {}

  @Override
  public String name() {
    return "prepare";
  }

  /** Runs the stage on the context's files, input shape and split keys. */
  @Override
  public Result run(StageContext context, PrepareOptions options) {
    return run(context.files(), options.format(), context.inputShape(), context.splitKeys(), context.ops());
  }

  /** Runs the stage on the given files (the format found from the files: see {@link StageFiles#format}). */
  public static Result run(StageFiles files, List<Integer> inputShape, List<String> splitKeys, OpTable ops) {
    return run(files, StageFiles.AUTO, inputShape, splitKeys, ops);
  }

  /**
   * Runs the stage on the given files; {@code format} is {@code mxnet}, {@code onnx} or {@code auto}.
   * An ONNX model is imported first ({@link ImportOpsPass}: its ops become built-in ops, with the
   * input shape at batch 1), and the imported model is the original that the passes fix.
   */
  public static Result run(StageFiles files, String format, List<Integer> inputShape, List<String> splitKeys,
      OpTable ops) {
    Shape shape = AttachInputShapePass.withBatch(inputShape, 1);
    PassContext ctx = new PassContext(ops);
    List<PassReport> reports = new ArrayList<>();
    Model original;
    Path symbol;
    if (files.format(format).equals(StageFiles.ONNX)) {
      symbol = files.originalOnnx();
      LOG.info("prepare: reading {}", symbol);
      Model onnx = OnnxModels.load(symbol);
      List<String> inputs = List.copyOf(onnx.inputNames());
      if (inputs.size() != 1) {
        throw new MrtException(symbol + ": expected one input, found " + inputs.size() + " " + inputs);
      }
      PassManager imp = new PassManager(List.of(new ImportOpsPass(Map.of(inputs.get(0), shape))));
      try {
        original = imp.run(onnx, ctx);
      } catch (MrtException e) {
        throw new MrtException(symbol + ": " + e.getMessage(), e);
      }
      reports.addAll(imp.reports());
    } else {
      symbol = files.originalSymbol();
      Path params = files.originalParams();
      LOG.info("prepare: reading {} and {}", symbol, params);
      original = MxnetModels.load(new ModelFiles(symbol, params));
    }

    PassManager fix = new PassManager(PreparePasses.fixOriginal());
    Model fixed = fix.run(original, ctx);
    reports.addAll(fix.reports());

    PassManager init = new PassManager(PreparePasses.init(shape));
    Model prepared;
    try {
      prepared = init.run(fixed, ctx);
    } catch (MrtException e) {
      throw new MrtException(symbol + ": " + e.getMessage(), e);
    }
    reports.addAll(init.reports());

    Optional<ModelSplitter.Split> split = splitKeys.isEmpty()
        ? Optional.empty() : Optional.of(ModelSplitter.split(prepared, splitKeys, ops));

    Map<String, Object> conf = new LinkedHashMap<>();
    conf.put("input_shape", inputShape);
    split.ifPresent(s -> conf.put("split_keys", splitKeys));
    byte[] confBytes;
    try {
      confBytes = JSON.writeValueAsBytes(conf);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot render the prepare conf", e);
    }

    List<Path> written = new ArrayList<>();
    save(fixed, files.fixedSymbol(), files.fixedParams(), written);
    save(prepared, files.prepareSymbol(), files.prepareParams(), written);
    if (split.isPresent()) {
      save(split.get().base(), files.stageFile("base", "json"), files.stageFile("base", "params"), written);
      save(split.get().top(), files.stageFile("top", "json"), files.stageFile("top", "params"), written);
    }
    AtomicFiles.write(files.prepareConf(), out -> out.write(confBytes));
    written.add(files.prepareConf());
    LOG.info("prepare: {} ops, {} params; wrote {}", prepared.graph().ops().size(), prepared.params().size(),
        written.stream().map(p -> p.getFileName().toString()).toList());
    return new Result(fixed, prepared, split, reports, written);
  }

  private static void save(Model m, Path symbol, Path params, List<Path> written) {
    MxnetModels.save(m, new ModelFiles(symbol, params));
    written.add(symbol);
    written.add(params);
  }
}

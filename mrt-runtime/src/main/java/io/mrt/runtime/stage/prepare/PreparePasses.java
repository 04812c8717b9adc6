package io.mrt.runtime.stage.prepare;

import io.mrt.api.graph.Shape;
import io.mrt.runtime.pass.AttachInputShapePass;
import io.mrt.runtime.pass.FuseConstantPass;
import io.mrt.runtime.pass.FuseMultipleInputsPass;
import io.mrt.runtime.pass.FuseMultipleOutputsPass;
import io.mrt.runtime.pass.FuseTransposePass;
import io.mrt.runtime.pass.InferShapeCheckPass;
import io.mrt.runtime.pass.InputNameReplacePass;
import io.mrt.runtime.pass.ModelPass;
import io.mrt.runtime.pass.NameCheckPass;
import io.mrt.runtime.pass.ParamsUniquePass;
import io.mrt.runtime.pass.RemoveParamsPrefixPass;
import io.mrt.runtime.pass.RewritePass;
import io.mrt.runtime.pass.UnifyNamesPass;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The prepare passes of MRT V3, in MRT's order. */
public final class PreparePasses {
  private PreparePasses() {}

  /**
   * {@code fix_original_model}: duplicate name renaming, then parameter prefix removal. Its result
   * is the {@code .fixed} model, the float reference of evaluation.
   */
  public static List<ModelPass> fixOriginal() {
    return List.of(new UnifyNamesPass(), new RemoveParamsPrefixPass());
  }

  /**
   * {@code Model.prepare} for a single input ({@code init}): name check, input renamed {@code data}
   * with {@code inputShape} attached, shape check, multiple outputs fusion, constant fusion,
   * transpose fusion, operator rewriting, constant fusion, parameter unification.
   */
  public static List<ModelPass> init(Shape inputShape) {
    List<ModelPass> p = new ArrayList<>();
    p.add(new NameCheckPass());
    p.add(new InputNameReplacePass());
    p.add(new AttachInputShapePass(Map.of(InputNameReplacePass.DATA, inputShape)));
    p.addAll(common());
    return p;
  }

  /**
   * {@code Model.prepare} with a shape per input ({@code init} with a dict): the shapes are
   * attached (inputs that already declare {@code __shape__} may be left out) and the inputs fused
   * into one {@code data}; then the same passes as {@link #init(Shape)}.
   */
  public static List<ModelPass> init(Map<String, Shape> inputShapes) {
    List<ModelPass> p = new ArrayList<>();
    p.add(new NameCheckPass());
    p.add(new AttachInputShapePass(inputShapes));
    p.add(new FuseMultipleInputsPass());
    p.addAll(common());
    return p;
  }

  private static List<ModelPass> common() {
    return List.of(new InferShapeCheckPass(), new FuseMultipleOutputsPass(), new FuseConstantPass(),
        new FuseTransposePass(), new RewritePass(), new FuseConstantPass(), new ParamsUniquePass());
  }
}

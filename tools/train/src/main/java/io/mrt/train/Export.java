package io.mrt.train;

import io.mrt.api.graph.Model;
import io.mrt.runtime.io.mxnet.ModelFiles;
import io.mrt.runtime.io.mxnet.MxnetModels;
import io.mrt.runtime.io.mxnet.MxnetSymbol;
import io.mrt.runtime.io.mxnet.ParamPrefixes;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Writes an IR model as MXNet symbol JSON + params with the project's MXNet writer
 * ({@link MxnetModels#save}), naming the parameters as Gluon's {@code export} does:
 * {@code arg:<name>} for arguments, {@code aux:<name>} for auxiliary states. Each file is written
 * to a temporary name and renamed.
 */
final class Export {
  private Export() {}

  static void write(Model model, Set<String> auxNames, Path symbol, Path params) {
    Map<String, INDArray> named = new LinkedHashMap<>();
    model.params().forEach((name, value) ->
        named.put((auxNames.contains(name) ? ParamPrefixes.AUX : ParamPrefixes.ARG) + name, value));
    MxnetModels.save(MxnetSymbol.of(model.graph()), named, new ModelFiles(symbol, params));
  }
}

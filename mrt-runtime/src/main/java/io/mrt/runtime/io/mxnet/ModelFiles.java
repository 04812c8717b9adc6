package io.mrt.runtime.io.mxnet;

import io.mrt.runtime.MrtException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The two files of an MXNet model. {@link #locate} accepts what a user types: the symbol JSON
 * path, an MRT prefix ({@code PREFIX.json} + {@code PREFIX.params}), an MXNet checkpoint prefix
 * ({@code PREFIX-symbol.json} + {@code PREFIX-NNNN.params}) or a folder holding one model.
 *
 * @param symbol the symbol JSON
 * @param params the {@code .params} NDArray list
 */
public record ModelFiles(Path symbol, Path params) {
  /** Finds the symbol and params files of {@code model}; an ambiguous or missing file is an error. */
  public static ModelFiles locate(Path model) {
    if (Files.isDirectory(model)) {
      List<Path> jsons = list(model, p -> p.getFileName().toString().endsWith(".json"));
      List<Path> symbols = jsons.stream().filter(p -> p.getFileName().toString().endsWith("-symbol.json")).toList();
      List<Path> pick = symbols.isEmpty() ? jsons : symbols;
      if (pick.size() != 1) {
        throw new MrtException(model + ": expected one symbol JSON in the folder, found "
            + (pick.isEmpty() ? "none" : pick.size() + ": " + names(pick)));
      }
      return locate(pick.get(0));
    }
    String name = model.getFileName().toString();
    Path dir = model.getParent() == null ? Path.of("") : model.getParent();
    if (name.endsWith("-symbol.json")) {
      return new ModelFiles(model, checkpointParams(model, dir, name.substring(0, name.length() - "-symbol.json".length())));
    }
    if (name.endsWith(".json")) {
      Path params = dir.resolve(name.substring(0, name.length() - ".json".length()) + ".params");
      if (!Files.isRegularFile(params)) {
        throw new MrtException(model + ": expected the parameters beside it in " + params + ", which does not exist");
      }
      return new ModelFiles(model, params);
    }
    // a prefix
    Path mrtJson = dir.resolve(name + ".json");
    if (Files.isRegularFile(mrtJson)) {
      return locate(mrtJson);
    }
    Path symbol = dir.resolve(name + "-symbol.json");
    if (Files.isRegularFile(symbol)) {
      return locate(symbol);
    }
    throw new MrtException(model + ": no model found: expected " + model + ".json or " + model
        + "-symbol.json (or the symbol JSON path, or a folder holding one model)");
  }

  private static Path checkpointParams(Path symbol, Path dir, String prefix) {
    List<Path> params = list(dir, p -> {
      String n = p.getFileName().toString();
      return n.startsWith(prefix + "-") && n.endsWith(".params")
          && n.substring(prefix.length() + 1, n.length() - ".params".length()).matches("\\d+");
    });
    if (params.isEmpty()) {
      throw new MrtException(symbol + ": expected the parameters beside it as " + dir.resolve(prefix + "-NNNN.params")
          + ", found none");
    }
    if (params.size() > 1) {
      throw new MrtException(symbol + ": several parameter files match " + prefix + "-NNNN.params: " + names(params)
          + "; give the files explicitly");
    }
    return params.get(0);
  }

  private static List<Path> list(Path dir, java.util.function.Predicate<Path> keep) {
    try (Stream<Path> s = Files.list(dir.toString().isEmpty() ? Path.of(".") : dir)) {
      return new ArrayList<>(s.filter(Files::isRegularFile).filter(keep)
          .map(p -> dir.resolve(p.getFileName())).sorted().toList());
    } catch (IOException e) {
      throw new MrtException(dir + ": cannot list the folder: " + e.getMessage(), e);
    }
  }

  private static String names(List<Path> ps) {
    return String.join(", ", ps.stream().map(p -> p.getFileName().toString()).toList());
  }
}

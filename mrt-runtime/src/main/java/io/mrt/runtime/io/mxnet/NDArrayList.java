package io.mrt.runtime.io.mxnet;

import io.mrt.runtime.MrtException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The content of an MXNet NDArray list file ({@code .params}): the arrays in file order and their
 * names (empty when the file stores no names, as {@code nd.save(list)} writes). A "none" array
 * (MXNet's empty NDArray) is an empty ND4J array.
 *
 * @param names the names, one per array, or empty
 * @param arrays the arrays
 */
public record NDArrayList(List<String> names, List<INDArray> arrays) {
  /** Copies the lists; the names are empty or one per array. */
  public NDArrayList {
    names = List.copyOf(names);
    arrays = List.copyOf(arrays);
    if (!names.isEmpty() && names.size() != arrays.size()) {
      throw new IllegalArgumentException(names.size() + " names for " + arrays.size() + " arrays");
    }
  }

  /** A named list from a map, in its iteration order. */
  public static NDArrayList of(Map<String, INDArray> named) {
    return new NDArrayList(List.copyOf(named.keySet()), List.copyOf(named.values()));
  }

  /** The arrays by name; an unnamed list or a repeated name is an error naming {@code source}. */
  public Map<String, INDArray> asMap(Path source) {
    if (names.isEmpty() && !arrays.isEmpty()) {
      throw new MrtException(source + ": the " + arrays.size() + " arrays have no names (expected a named "
          + "parameter file such as model.save_checkpoint or HybridBlock.export write)");
    }
    Map<String, INDArray> m = new LinkedHashMap<>();
    for (int i = 0; i < names.size(); i++) {
      if (m.put(names.get(i), arrays.get(i)) != null) {
        throw new MrtException(source + ": the name '" + names.get(i) + "' appears twice");
      }
    }
    return Collections.unmodifiableMap(m);
  }
}

package io.mrt.runtime.io.cvm;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parameters of a compiled CVM model (the {@code params} file): named tensors in file order.
 * A name may repeat (the runtime then sets the variable twice and the last one wins). Immutable.
 */
public final class CvmParams {
  /** One named tensor. */
  public record Param(String name, CvmTensor tensor) {
  }

  private final List<Param> params;

  /** Params in the given order. */
  public CvmParams(List<Param> params) {
    this.params = List.copyOf(params);
  }

  /** Params from a map, in its iteration order. */
  public static CvmParams of(Map<String, CvmTensor> map) {
    List<Param> l = new ArrayList<>();
    map.forEach((k, v) -> l.add(new Param(k, v)));
    return new CvmParams(l);
  }

  /** No parameters. */
  public static CvmParams empty() {
    return new CvmParams(List.of());
  }

  /** The tensors in file order. */
  public List<Param> list() {
    return params;
  }

  /** The tensors by name (the last one wins when a name repeats), in file order. */
  public Map<String, CvmTensor> asMap() {
    Map<String, CvmTensor> m = new LinkedHashMap<>();
    for (Param p : params) {
      m.put(p.name(), p.tensor());
    }
    return Collections.unmodifiableMap(m);
  }

  /** Number of stored tensors. */
  public int size() {
    return params.size();
  }
}

package io.mrt.runtime.io.cvm;

import java.util.ArrayList;
import java.util.List;

/**
 * The graph attributes ({@code attrs} key) of a compiled CVM graph, as read: per-entry
 * {@code shape}, {@code storage_id}, {@code precision}, {@code dltype}, the per-node
 * {@code op_attrs} strings, and the optional {@code device_index} and {@code dtype}. Lists that the
 * JSON does not hold are null. Sizes are not checked here; the CVM executor checks them at load.
 *
 * @param shape the per-entry shapes
 * @param storageId the per-entry storage pool slots
 * @param precision the per-entry precisions (-1 = unknown), or null
 * @param dltype the per-entry dtype names, or null
 * @param opAttrs the per-node operator parameters, each a JSON object encoded as a string
 * @param deviceIndex the per-entry device index (must be empty), or null
 * @param dtype the ignored {@code list_int} dtype list, or null
 */
public record CvmGraphAttrs(List<List<Long>> shape, List<Integer> storageId, List<Integer> precision,
    List<String> dltype, List<String> opAttrs, List<Integer> deviceIndex, List<Integer> dtype) {
  /** Copies the lists. */
  public CvmGraphAttrs {
    List<List<Long>> s = new ArrayList<>(shape.size());
    for (List<Long> one : shape) {
      s.add(List.copyOf(one));
    }
    shape = List.copyOf(s);
    storageId = List.copyOf(storageId);
    precision = precision == null ? null : List.copyOf(precision);
    dltype = dltype == null ? null : List.copyOf(dltype);
    opAttrs = List.copyOf(opAttrs);
    deviceIndex = deviceIndex == null ? null : List.copyOf(deviceIndex);
    dtype = dtype == null ? null : List.copyOf(dtype);
  }
}

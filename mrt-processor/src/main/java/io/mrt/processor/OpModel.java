package io.mrt.processor;

import java.util.List;
import java.util.Set;

/**
 * The validated, immutable model of one {@code @MrtOp} class, from which the generator writes code.
 */
record OpModel(
    String key,
    String className,
    List<String> names,
    String whenAttr,
    List<String> whenValues,
    List<AttrModel> attrs,
    boolean restorable,
    List<String> emits,
    int inputPrecision,
    Set<String> hooks) {

  /** One declared attribute: the AttrType constant name and the default (null = required). */
  record AttrModel(String name, String type, String defaultValue) {}
}

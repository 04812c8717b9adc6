package io.mrt.runtime.pass;

import io.mrt.api.graph.Model;

/** One named graph pass: a function from a model to an equivalent (or checked) model. */
public interface ModelPass {
  /** The pass name used in logs, e.g. {@code fuse_constant}. */
  String name();

  /** Runs the pass; the input model is not modified. */
  Model apply(Model model, PassContext ctx);
}

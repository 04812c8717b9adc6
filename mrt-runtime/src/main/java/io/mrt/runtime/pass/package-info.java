/**
 * Graph passes: the {@link io.mrt.runtime.pass.PassManager} that runs named passes in order and
 * logs what each changed, the {@link io.mrt.runtime.pass.GraphTransformer} that rebuilds a graph
 * node by node (the contexts that the ops' rewrite and transpose-fusion hooks receive), shape
 * inference and single-node evaluation through the op table, the passes of MRT V3 (which the
 * prepare stage lists in MRT's order: {@code stage.prepare.PreparePasses}), and the split/merge of
 * a model at given nodes.
 */
package io.mrt.runtime.pass;

/**
 * The helpers the built-in operators share: shapes, axes and broadcasting, tensors and integer
 * values, MRT's quantize rules, the lowering to CVM operators, and the prepare-stage rewrites that
 * serve several ops. No class here is an operator; none depends on an operator class.
 */
package io.mrt.ops.support;

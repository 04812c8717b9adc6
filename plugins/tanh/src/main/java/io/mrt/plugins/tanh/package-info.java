/**
 * The tanh plugin: MXNet's {@code Activation(act_type=tanh)} (and the plain {@code tanh} op),
 * which the built-in ops do not provide. The generated registry is
 * {@code io.mrt.plugins.tanh.TanhOpRegistry}.
 */
package io.mrt.plugins.tanh;

/**
 * The hard-sigmoid plugin: MXNet's {@code hard_sigmoid} op, which the built-in ops do not
 * provide. The generated registry is {@code io.mrt.plugins.hardsigmoid.HardSigmoidOpRegistry}.
 */
package io.mrt.plugins.hardsigmoid;

/**
 * The built-in operator set: one {@code @MrtOp} class per MXNet operator family. The annotation
 * processor turns these classes into {@code BuiltinOpRegistry}.
 */
package io.mrt.ops;

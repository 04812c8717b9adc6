/**
 * The plugin template: MXNet's {@code Activation(act_type=softsign)} and {@code softsign}. Rename
 * the package and the op class, and keep one {@code @MrtOp} class per MXNet operator family.
 */
package com.example.mrt.softsign;

/**
 * The operator API: what an operator author compiles against. {@code graph} holds the IR,
 * {@code hook} the stage hook interfaces and their contexts, {@code registry} the SPI that the
 * annotation processor implements.
 */
package io.mrt.api;

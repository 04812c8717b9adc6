/**
 * The plugin API: what an operator or dataset author compiles against. {@code graph} holds the IR,
 * {@code hook} the stage hook interfaces and their contexts, {@code registry} the SPI that the
 * annotation processor implements, {@code data} the dataset SPI.
 */
package io.mrt.api;

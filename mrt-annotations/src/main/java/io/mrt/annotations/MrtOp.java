package io.mrt.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a class as the implementation of one MXNet operator family.
 *
 * <p>The class must be public, concrete, have a public no-arg constructor and implement at least
 * one hook interface of {@code io.mrt.api.hook}. The annotation processor reads every
 * {@code @MrtOp} class of a compilation and generates one registry class with a descriptor per op
 * and a dispatch table per stage.
 *
 * <pre>{@code
 * @MrtOp(value = "Activation", when = @When(attr = "act_type", equals = "relu"),
 *        attrs = @Attr(name = "act_type", type = String.class),
 *        emits = "relu")
 * public final class Relu implements InferShapeHook, ForwardHook { ... }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface MrtOp {
  /** The MXNet operator name or names this class handles, e.g. {@code "Convolution"}. */
  String[] value();

  /**
   * Restricts the op to nodes whose attribute has one of the given values (for example
   * {@code Activation} with {@code act_type=tanh}). Empty means every node of the op name.
   */
  When[] when() default {};

  /** The typed attributes of the op, parsed once from MXNet's string attributes. */
  Attr[] attrs() default {};

  /** Whether the op may stay in float when it is listed in RESTORE_NAMES. */
  boolean restorable() default true;

  /**
   * The CVM operators (spec CVM_OPS.md) that the op's {@code lowerToCvm} hook may emit.
   * The processor rejects any name that is not a CVM operator.
   */
  String[] emits() default {};

  /**
   * The default input precision of the op for the quantize stage (8 for Convolution and
   * FullyConnected, 16 for adds and Concat, ...). 0 means that the op does not requantize its
   * inputs.
   */
  int inputPrecision() default 0;
}

package io.mrt.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * One typed attribute of an op, parsed from MXNet's string attributes.
 *
 * <p>Supported types: {@code boolean}, {@code int}, {@code long}, {@code float}, {@code double},
 * {@code String}, {@code int[]}, {@code long[]}, {@code float[]} and {@code double[]}. Any other
 * type is a compile error reported by the processor.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({})
public @interface Attr {
  /** Marks an attribute without a default: a node that lacks it is refused. */
  String REQUIRED = "\u0000required";

  /** The MXNet attribute key, e.g. {@code "num_filter"}. */
  String name();

  /** The Java type the string value is parsed into. */
  Class<?> type();

  /** The default, written as MXNet writes it (e.g. {@code "(1, 1)"}, {@code "True"}). */
  String defaultValue() default REQUIRED;
}

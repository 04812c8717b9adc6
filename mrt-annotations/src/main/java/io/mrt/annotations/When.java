package io.mrt.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A discriminating attribute: an {@link MrtOp} with {@code when} handles only the nodes whose
 * attribute {@link #attr()} equals one of {@link #equals()}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({})
public @interface When {
  /** The attribute key, e.g. {@code "act_type"}. */
  String attr();

  /** The accepted values, e.g. {@code {"tanh"}}. */
  String[] equals();
}

package io.mrt.processor;

/**
 * The texts of the processor's diagnostics. Each says what is wrong and how to fix it; where a
 * diagnostic names the offending value, the value follows the constant text. Tests assert on these
 * constants, and docs/processor.md lists them with their fixes.
 */
public final class Messages {
  // --- the op class itself ---

  /** {@code @MrtOp} on an interface, enum, record or annotation type; followed by the kind found. */
  public static final String NOT_A_CLASS =
      "@MrtOp must annotate a class; put it on the public concrete class that implements the op's hooks, found ";

  /** The op class, or a class enclosing it, is not public. */
  public static final String NOT_PUBLIC =
      "@MrtOp class must be public (and so must every class enclosing it) so that the generated registry can create it; add 'public'";

  /** The op class is abstract. */
  public static final String ABSTRACT =
      "@MrtOp class must be concrete; remove 'abstract' or annotate a concrete subclass";

  /** The op class is a non-static member class. */
  public static final String INNER_CLASS =
      "@MrtOp class must be top-level or a static nested class; make the nested class 'static'";

  /** The op class has type parameters. */
  public static final String GENERIC =
      "@MrtOp class must not declare type parameters (the registry creates it with 'new'); remove them or annotate a non-generic subclass";

  /** The op class has no public no-arg constructor; {@code NAME} is replaced by the class name. */
  public static final String NO_CONSTRUCTOR =
      "@MrtOp class needs a public no-arg constructor; add 'public NAME() {}'";

  /** The public no-arg constructor declares a checked exception; followed by the exception. */
  public static final String CONSTRUCTOR_THROWS =
      "@MrtOp class's no-arg constructor must not declare checked exceptions (the registry creates the op in a static initializer); catch it inside the constructor: ";

  /** The op class implements no hook interface. */
  public static final String NO_HOOK =
      "@MrtOp class implements no hook interface; implement at least one of io.mrt.api.hook.* "
          + "(InferShapeHook, ForwardHook, FuseTransposeHook, RewriteHook, CalibrateHook, QuantizeHook, LowerToCvmHook)";

  /** mrt-api is not on the compile class path. */
  public static final String NO_API =
      "io.mrt.api.hook is not on the compile class path; add the mrt-api dependency";

  /** The class still refers to unresolved types after the last round; followed by the class. */
  public static final String UNRESOLVED =
      "@MrtOp class refers to types that could not be resolved (fix the 'cannot find symbol' errors, or the processor that should generate them): ";

  // --- op names ---

  /** No op name, or an empty one. */
  public static final String MISSING_NAME =
      "@MrtOp needs at least one non-empty MXNet op name, e.g. @MrtOp(\"Convolution\")";

  /** An op name that is not an MXNet operator name; followed by the name. */
  public static final String BAD_NAME =
      "not an MXNet op name (letters, digits and '_', not starting with a digit, e.g. Convolution or _contrib_box_nms); fix the name: ";

  /** The same op name twice in one annotation; followed by the name. */
  public static final String DUPLICATE_NAME_IN_OP =
      "@MrtOp lists the same op name twice; remove one: ";

  /** Two classes of one compilation handle the same op name (and key); followed by the name. */
  public static final String DUPLICATE_NAME =
      "MXNet op name is already handled by another @MrtOp class in this compilation; "
          + "key one of them with when = @When(attr = ..., equals = ...) or remove one: ";

  /** Keyed variants of one op name use different attributes; followed by the details. */
  public static final String MIXED_WHEN =
      "the keyed @MrtOp classes of one op name must all be keyed by the same attribute, or a node could match two of them; use one attribute: ";

  // --- @When ---

  /** {@code @When} without attribute name or value. */
  public static final String BAD_WHEN =
      "@When needs a non-empty attribute name and at least one non-empty value, e.g. @When(attr = \"act_type\", equals = \"relu\")";

  /** More than one {@code @When}. */
  public static final String MANY_WHEN =
      "@MrtOp takes at most one @When; list every accepted value in its 'equals'";

  // --- attributes ---

  /** An attribute type that cannot be parsed from a string; followed by the attribute and type. */
  public static final String BAD_ATTR_TYPE =
      "attribute type cannot be parsed from MXNet's string attributes; "
          + "use boolean, int, long, float, double, String, int[], long[], float[] or double[]: ";

  /** An attribute with an empty name. */
  public static final String EMPTY_ATTR_NAME =
      "@Attr needs a non-empty name, the MXNet attribute key (e.g. \"num_filter\")";

  /** The same attribute twice; followed by the name. */
  public static final String DUPLICATE_ATTR = "attribute declared twice; remove one: ";

  /** A default that does not parse as its type; followed by the attribute, value and type. */
  public static final String BAD_DEFAULT =
      "attribute default does not parse as its declared type; write it as MXNet does (e.g. \"1\", \"(1, 1)\", \"True\", \"None\"): ";

  // --- emits, inputPrecision ---

  /** An emitted operator that is not a CVM operator; followed by the name (and a suggestion). */
  public static final String UNKNOWN_CVM_OP =
      "not a CVM operator (see spec/CVM_OPS.md, e.g. conv2d, dense, relu, cvm_right_shift); fix the name in 'emits': ";

  /** inputPrecision outside [0, 32]; followed by the value. */
  public static final String BAD_PRECISION =
      "inputPrecision must be 0 (the op does not requantize its inputs) or a bit width in [1, 32], found ";

  // --- the compilation ---

  /** An op class that appeared after the registry was generated; followed by the class. */
  public static final String LATE_OP =
      "@MrtOp class appeared after the op registry was generated (was it generated by another processor in a later round?); declare it in source: ";

  /** The option mrt.registry.class is not a qualified class name; followed by the value. */
  public static final String BAD_OPTION =
      "option -Amrt.registry.class must be a qualified Java class name, e.g. -Amrt.registry.class=com.example.ops.MyOpRegistry; found ";

  /** The registry could not be written; followed by the class and the cause. */
  public static final String WRITE_FAILED = "could not write the op registry ";

  /** An unexpected failure inside the processor; followed by the stack trace. */
  public static final String INTERNAL_ERROR =
      "@MrtOp processor failed unexpectedly; please report this with the trace: ";

  private Messages() {}
}

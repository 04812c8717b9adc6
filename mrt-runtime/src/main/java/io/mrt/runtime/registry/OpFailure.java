package io.mrt.runtime.registry;

import io.mrt.runtime.MrtException;

/**
 * A stage hook failed on a node: the hook refused the node ({@link io.mrt.api.hook.OpException},
 * a bad attribute), or a plugin's hook threw. The message names the node, the op, the hook and the
 * jar (and plugin) that provides the op, so that the user knows whom to blame; the CLI reports it
 * as bad input (exit code 2). The hook's exception is the cause.
 */
public final class OpFailure extends MrtException {
  private static final long serialVersionUID = 1L;
  private final String nodeName;
  private final String opKey;
  private final String hook;
  private final String pluginId;

  OpFailure(String message, String nodeName, String opKey, String hook, String pluginId, Throwable cause) {
    super(message, cause);
    this.nodeName = nodeName;
    this.opKey = opKey;
    this.hook = hook;
    this.pluginId = pluginId;
  }

  /** The node the hook was called on. */
  public String nodeName() {
    return nodeName;
  }

  /** The op's dispatch key, e.g. {@code Activation[act_type=tanh]}. */
  public String opKey() {
    return opKey;
  }

  /** The hook, e.g. {@code forward}. */
  public String hook() {
    return hook;
  }

  /** The plugin that provides the op, or {@code null} for an op of the class path. */
  public String pluginId() {
    return pluginId;
  }
}

package io.mrt.runtime.registry;

import io.mrt.api.graph.AttrException;
import io.mrt.api.graph.Node;
import io.mrt.api.hook.OpException;
import io.mrt.runtime.MrtException;
import java.util.function.Supplier;

/**
 * Calls a hook and turns what it throws into one error that names the node, the op, the hook and
 * the jar (and plugin) providing the op:
 *
 * <ul>
 *   <li>an {@link MrtException} passes unchanged (the runtime, called back by the hook, already
 *       named what is wrong);
 *   <li>an {@link OpException} or {@link AttrException} (the hook refuses the node) and anything a
 *       plugin's hook throws become an {@link OpFailure} (bad input, exit code 2);
 *   <li>anything else a built-in hook throws is a bug of ours: an {@link IllegalStateException}
 *       with the same message (internal error, exit code 1).
 * </ul>
 */
final class HookGuard {
  private HookGuard() {}

  static <T> T call(ResolvedOp op, String hook, Node node, Supplier<T> body) {
    try {
      return body.get();
    } catch (MrtException e) {
      throw e;
    } catch (RuntimeException | LinkageError | AssertionError e) {
      throw failure(op, hook, node, e);
    }
  }

  static RuntimeException failure(ResolvedOp op, String hook, Node node, Throwable e) {
    OpSource src = op.source();
    String provider = src.pluginId() != null
        ? "plugin " + src.pluginId() + " (" + src.location() + ")"
        : src.registry().name() + " (" + src.location() + ")";
    String nodeName = node == null ? "?" : node.name();
    String head = "node " + nodeName + " (" + op.key() + "): ";
    boolean refusal = e instanceof OpException || e instanceof AttrException;
    String message = refusal
        ? head + strip(e.getMessage(), nodeName) + " [" + hook + " hook of " + provider + "]"
        : head + "the " + hook + " hook of " + provider + " failed: " + e;
    if (refusal || src.pluginId() != null) {
      return new OpFailure(message, nodeName, op.key(), hook, src.pluginId(), e);
    }
    return new IllegalStateException(message, e);
  }

  /** Drops OpException's own {@code node NAME (OP): } prefix, which the new message repeats. */
  private static String strip(String message, String nodeName) {
    if (message == null) {
      return "refused";
    }
    String prefix = "node " + nodeName + " (";
    if (message.startsWith(prefix)) {
      int end = message.indexOf("): ", prefix.length());
      if (end >= 0) {
        return message.substring(end + 3);
      }
    }
    return message;
  }
}

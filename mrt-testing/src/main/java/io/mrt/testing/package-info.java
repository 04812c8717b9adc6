/**
 * Test support for operator authors, compiled against mrt-api only. {@link io.mrt.testing.HookContexts}
 * builds the context each hook receives, the way the runtime builds it (the node's attributes with
 * the op's declared defaults filled in); {@link io.mrt.testing.Descriptors} finds the descriptor of a
 * registry that handles a node, as the runtime's dispatch does; {@link io.mrt.testing.TinyGraph}
 * builds the few nodes a hook test needs.
 */
package io.mrt.testing;

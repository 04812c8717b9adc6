#set( $opId = $opName.toLowerCase() )
/**
 * An MRT operator plugin: MXNet's {@code Activation(act_type=${opId})} and {@code ${opId}}. Keep
 * one {@code @MrtOp} class per MXNet operator family.
 */
package ${package};

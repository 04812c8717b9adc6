/**
 * The float executor: runs a graph in float32 on ND4J op by op through the ops' {@code forward}
 * hooks ({@link io.mrt.runtime.exec.fp.FloatExecutor}), and infers every entry's shape through the
 * {@code inferShape} hooks ({@link io.mrt.runtime.exec.fp.ShapeInference}).
 */
package io.mrt.runtime.exec.fp;

/**
 * The ONNX op set: one {@code @MrtOp} class per ONNX operator of image classifiers, named
 * {@code onnx_<op_type>} as the ONNX reader names the nodes. Each class has only a rewrite hook,
 * which the prepare stage runs while it imports an ONNX model (with the input shape known): it maps
 * the node onto the built-in (MXNet-named) ops, or folds it into a constant when its inputs are
 * constants (the {@code Shape -> Gather -> Unsqueeze -> Concat} chains that PyTorch writes before a
 * {@code Reshape}). After the import no ONNX op is left, so calibrate, quantize, evaluate and compile
 * see the built-in vocabulary only.
 */
package io.mrt.ops.onnx;

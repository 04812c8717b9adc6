/**
 * MXNet model files: the symbol JSON ({@link io.mrt.runtime.io.mxnet.SymbolReader},
 * {@link io.mrt.runtime.io.mxnet.SymbolWriter}), the {@code .params} NDArray list
 * ({@link io.mrt.runtime.io.mxnet.NDArrayListReader}, {@link io.mrt.runtime.io.mxnet.NDArrayListWriter}),
 * and both together as a {@link io.mrt.api.graph.Model} ({@link io.mrt.runtime.io.mxnet.MxnetModels}).
 */
package io.mrt.runtime.io.mxnet;

package io.mrt.runtime.io.cvm;

/**
 * A compiled CVM model: the graph ({@code symbol}) and its parameters ({@code params}).
 *
 * @param graph the graph
 * @param params the parameters
 */
public record CvmModel(CvmGraph graph, CvmParams params) {
}

package io.mrt.runtime.stage.report;

import java.util.List;
import java.util.Map;

/**
 * Where precision goes, node by node: the float graph against the quantized graph on the same
 * images.
 *
 * @param model the model name
 * @param images how many images were run through both graphs
 * @param batches how many batches (calibration batches first, then a slice of the test set)
 * @param exactness how the integer values were checked against the CVM executor
 * @param nodes one row per op node of the float graph, in topological order
 * @param evaluation the evaluate stage's figures, when the stage has run (else empty)
 */
public record QualityReport(String model, long images, int batches, String exactness, List<NodeRow> nodes,
    Map<String, Object> evaluation) {

  /**
   * One node of the float graph.
   *
   * @param index position in topological order (op nodes only)
   * @param name the node's name
   * @param op the node's op
   * @param shape the output shape at the report's batch size
   * @param quantizedNode the node of the quantized graph that stands for it
   * @param threshold the calibrated threshold
   * @param scale the scale of the integer output ({@code float ~= int / scale})
   * @param precision the precision of the integer output, in bits
   * @param sqnrDb signal to quantization noise ratio of the dequantized integer output against the
   *     float output, in dB ({@code null} when undefined: no noise at all, or an all-zero float output)
   * @param cosine cosine similarity of the two outputs
   * @param clipped the share of float values whose magnitude exceeds the threshold
   * @param localSqnrDb the SQNR of the node alone: its integer subgraph fed with the float inputs
   *     quantized at their scales (AIMET's per-layer view), on the first batch ({@code null} when
   *     undefined or when the node has no integer subgraph of its own)
   * @param histogram the magnitudes of the float output, for the chart of the worst nodes
   */
  public record NodeRow(int index, String name, String op, long[] shape, String quantizedNode, double threshold,
      double scale, int precision, Double sqnrDb, double cosine, double clipped, Double localSqnrDb,
      Histogram histogram) {}

  /**
   * A histogram of {@code |x|} over {@code [0, max]} in equal bins; values above {@code max} fall
   * in the last bin.
   */
  public record Histogram(double max, long[] counts) {}
}

package io.mrt.runtime.stage.report;

import io.mrt.runtime.stage.quantize.QuantizeOptions;

/**
 * The options of the per-node quantization report.
 *
 * @param quantize the QUANTIZE options the quantize stage used (the report quantizes again)
 * @param calibrateBatch CALIBRATE.BATCH: the test images go through in batches of this size
 * @param images EVALUATE.REPORT_IMAGES: the test images after the calibration batches (checked
 *     {@code >= 0} when the report runs)
 */
public record ReportOptions(QuantizeOptions quantize, int calibrateBatch, int images) {}

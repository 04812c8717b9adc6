package io.mrt.runtime.stage;

import io.mrt.api.data.DatasetMetric;
import io.mrt.runtime.data.BatchIterator;
import io.mrt.runtime.stage.run.StageData;
import java.util.Optional;

/**
 * The batches of the configured data set that the stages read (CALIBRATE.DATASET_NAME, its
 * folder, split and preprocessing), as {@code stage.run.StageData} reads them. Each call reads anew.
 */
public interface StageBatches {
  /** NUM_CALIB batches of CALIBRATE.BATCH images from DATASET_SPLIT. */
  BatchIterator calibration();

  /** ITER_NUM batches of EVALUATE.BATCH test images (ITER_NUM -1: the whole test set). */
  BatchIterator evaluation();

  /** The first {@code batches} batches of {@code batch} test images. */
  BatchIterator test(int batch, int batches);

  /** A new metric of the data set (its own figure beside top-1 and top-5), or empty when it has none. */
  Optional<DatasetMetric> newMetric();
}

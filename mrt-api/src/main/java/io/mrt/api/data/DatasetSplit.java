package io.mrt.api.data;

/** The split of a data set a stage reads: calibration reads CALIBRATE.DATASET_SPLIT, evaluation TEST. */
public enum DatasetSplit {
  /** The training images. */
  TRAIN,
  /** The test (validation) images. */
  TEST
}

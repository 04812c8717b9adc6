package io.mrt.runtime.data;

/** Which part of a dataset to read. */
public enum Split {
  /** The training images (MNIST {@code train-*}, CIFAR-10 {@code data_batch_1..5.bin}). */
  TRAIN,
  /** The test images (MNIST {@code t10k-*}, CIFAR-10 {@code test_batch.bin}). */
  TEST
}

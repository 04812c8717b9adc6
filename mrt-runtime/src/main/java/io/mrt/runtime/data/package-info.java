/**
 * Datasets and metrics: readers for MNIST/Fashion-MNIST IDX files (gzipped or not), CIFAR-10
 * binary batches and folders of images per class, all giving an {@link
 * io.mrt.runtime.data.ImageSet} of uint8 images; {@link io.mrt.runtime.data.Preprocessing} (scale,
 * per-channel mean and std, layout, input shape) turning them into float32 batches; the {@link
 * io.mrt.runtime.data.BatchIterator}; and the top-1/top-5 {@link
 * io.mrt.runtime.data.ClassificationAccuracy} accumulator.
 *
 * <p>Every reader bounds the sizes it reads from a file before allocating, and reports bad input
 * as an {@link io.mrt.runtime.MrtException} that names the file, what was expected and what was
 * found.
 */
package io.mrt.runtime.data;

/**
 * The dataset SPI: a {@link io.mrt.api.data.DatasetProvider} names a data set (MRT's
 * {@code CALIBRATE.DATASET_NAME}), says which files it reads below {@code DATASET_DIR}, and opens
 * one split of it as {@link io.mrt.api.data.LabelledImages}. Providers are found with
 * {@link java.util.ServiceLoader} ({@code META-INF/services/io.mrt.api.data.DatasetProvider}) on the
 * class path (the built-in data sets) and inside plugin jars.
 */
package io.mrt.api.data;

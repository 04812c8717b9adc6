/** The {@code mnist_csv} data set: images and labels from CSV files, as a dataset plugin. */
package io.mrt.plugins.mnistcsv;

package io.mrt.runtime.data;

import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Walks a dataset in file order, batch by batch: batch {@code b} holds samples {@code b*BATCH} to
 * {@code (b+1)*BATCH - 1}, preprocessed. At most the requested number of batches are produced;
 * when the dataset runs out first, the iterator stops there (as MRT's dataset iterators do, which
 * end the evaluation loop), and the last batch may be smaller than {@code BATCH}.
 */
public final class BatchIterator implements Iterator<Batch> {
  private static final Logger LOG = LoggerFactory.getLogger(BatchIterator.class);
  private final ImageSet set;
  private final Preprocessing preprocessing;
  private final int batchSize;
  private final int numBatches;
  private int next;

  private BatchIterator(ImageSet set, Preprocessing preprocessing, int batchSize, int numBatches) {
    this.set = set;
    this.preprocessing = preprocessing;
    this.batchSize = batchSize;
    this.numBatches = numBatches;
  }

  /**
   * Up to {@code numBatches} batches of {@code batchSize} (fewer when the dataset is shorter).
   * Checks the preprocessing against the images once, here.
   */
  public static BatchIterator of(ImageSet set, Preprocessing preprocessing, int batchSize, int numBatches) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be positive, found " + batchSize);
    }
    if (numBatches < 0) {
      throw new IllegalArgumentException("number of batches must be >= 0, found " + numBatches);
    }
    preprocessing.check(set);
    int available = (int) ((set.count() + (long) batchSize - 1) / batchSize);
    if (numBatches > available && numBatches != Integer.MAX_VALUE) {
      LOG.info("{}: {} batches of {} asked, the dataset holds {} images: running {} batches",
          set.source(), numBatches, batchSize, set.count(), available);
    }
    return new BatchIterator(set, preprocessing, batchSize, Math.min(numBatches, available));
  }

  /** Every sample, in batches of {@code batchSize}. */
  public static BatchIterator all(ImageSet set, Preprocessing preprocessing, int batchSize) {
    return of(set, preprocessing, batchSize, Integer.MAX_VALUE);
  }

  /** The number of batches this iterator produces in all. */
  public int numBatches() {
    return numBatches;
  }

  /** The batch size (the last batch may be smaller). */
  public int batchSize() {
    return batchSize;
  }

  /** The number of samples this iterator produces in all. */
  public int numSamples() {
    return (int) Math.min((long) numBatches * batchSize, set.count());
  }

  @Override
  public boolean hasNext() {
    return next < numBatches;
  }

  @Override
  public Batch next() {
    if (!hasNext()) {
      throw new NoSuchElementException("all " + numBatches + " batches were read");
    }
    int from = next * batchSize;
    int count = Math.min(batchSize, set.count() - from);
    next++;
    int[] labels = new int[count];
    for (int i = 0; i < count; i++) {
      labels[i] = set.label(from + i);
    }
    return new Batch(preprocessing.batch(set, from, count), labels, from);
  }

  @Override
  public String toString() {
    return "BatchIterator[" + set + ", batch " + batchSize + ", " + numBatches + " batches, input "
        + Arrays.toString(preprocessing.inputShape()) + "]";
  }
}

package io.mrt.runtime.plugin;

import io.mrt.api.data.DatasetProvider;
import io.mrt.api.data.DatasetRequest;
import io.mrt.api.data.DatasetSplit;
import io.mrt.api.data.LabelledImages;

/** A dataset provider whose constructor throws, packed into a plugin jar by the tests. */
public final class ThrowingDatasetProvider implements DatasetProvider {
  /** Always throws. */
  public ThrowingDatasetProvider() {
    throw new IllegalStateException("no data today");
  }

  @Override
  public String name() {
    return "never";
  }

  @Override
  public String layout(DatasetSplit split) {
    return "no files";
  }

  @Override
  public LabelledImages open(DatasetRequest request) {
    throw new UnsupportedOperationException("never constructed, so never opened");
  }
}

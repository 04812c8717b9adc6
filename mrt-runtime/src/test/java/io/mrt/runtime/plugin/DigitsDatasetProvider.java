package io.mrt.runtime.plugin;

import io.mrt.api.data.DatasetProvider;
import io.mrt.api.data.DatasetRequest;
import io.mrt.api.data.DatasetSplit;
import io.mrt.api.data.LabelledImages;
import java.util.List;

/** A dataset provider the tests pack into a plugin jar: {@code digits}, two 1x1x1 images. */
public final class DigitsDatasetProvider implements DatasetProvider {
  @Override
  public String name() {
    return "digits";
  }

  @Override
  public String layout(DatasetSplit split) {
    return "no files";
  }

  @Override
  public boolean readsFiles() {
    return false;
  }

  @Override
  public LabelledImages open(DatasetRequest request) {
    return new LabelledImages("digits", 1, 1, 1, new byte[] {3, 4}, new int[] {1, 0}, List.of());
  }
}

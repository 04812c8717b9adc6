package io.mrt.train;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import io.mrt.runtime.data.ImageSet;
import io.mrt.runtime.data.Preprocessing;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * An exported MXNet model (symbol JSON + params) loaded back into real MXNet through DJL: the files
 * are copied to a temporary folder as {@code m-symbol.json} / {@code m-0000.params} and loaded with
 * {@code Model.load}, which gives MXNet's own symbol executor; inputs go through a
 * {@link NoopTranslator}.
 */
final class MxnetReference implements AutoCloseable {
  private final Path dir;
  private final ai.djl.Model model;
  private final Predictor<NDList, NDList> predictor;

  private MxnetReference(Path dir, ai.djl.Model model) {
    this.dir = dir;
    this.model = model;
    this.predictor = model.newPredictor(new NoopTranslator());
  }

  /** Loads {@code symbol} and {@code params} into MXNet. */
  static MxnetReference load(Path symbol, Path params) {
    try {
      Path dir = Files.createTempDirectory("mrt-mxnet-check");
      Files.copy(symbol, dir.resolve("m-symbol.json"), StandardCopyOption.REPLACE_EXISTING);
      Files.copy(params, dir.resolve("m-0000.params"), StandardCopyOption.REPLACE_EXISTING);
      ai.djl.Model model = ai.djl.Model.newInstance("m", Device.cpu(), "MXNet");
      try {
        model.load(dir, "m");
      } catch (MalformedModelException | IOException | RuntimeException e) {
        model.close();
        throw new IllegalStateException("MXNet refused the exported model " + symbol + ": " + e.getMessage(), e);
      }
      return new MxnetReference(dir, model);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The model's outputs for one input batch, a row per sample. */
  float[][] forward(float[] x, long[] shape) {
    try (NDManager m = model.getNDManager().newSubManager()) {
      NDList out = predictor.predict(new NDList(m.create(x, new Shape(shape))));
      NDArray y = out.get(0);
      int n = (int) y.getShape().get(0);
      int k = (int) (y.size() / n);
      float[] flat = y.toFloatArray();
      float[][] rows = new float[n][];
      for (int i = 0; i < n; i++) {
        rows[i] = Arrays.copyOfRange(flat, i * k, (i + 1) * k);
      }
      return rows;
    } catch (TranslateException e) {
      throw new IllegalStateException("MXNet inference failed: " + e.getMessage(), e);
    }
  }

  /** The argmax (first maximum) of the outputs for every image of {@code set}, in batches. */
  int[] predict(ImageSet set, Preprocessing prep, int batch) {
    int[] out = new int[set.count()];
    for (int from = 0; from < set.count(); from += batch) {
      int n = Math.min(batch, set.count() - from);
      float[] x = new float[n * set.sampleSize()];
      prep.fill(set, from, n, x);
      float[][] rows = forward(x, prep.batchShape(n));
      for (int i = 0; i < n; i++) {
        out[from + i] = argmax(rows[i]);
      }
    }
    return out;
  }

  static int argmax(float[] v) {
    int best = 0;
    for (int j = 1; j < v.length; j++) {
      if (v[j] > v[best]) {
        best = j;
      }
    }
    return best;
  }

  @Override
  public void close() {
    predictor.close();
    model.close();
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a leftover temporary folder is harmless
    }
  }
}

package io.mrt.runtime.faithfulness;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Real MXNet 1.9 through DJL's MXNet engine, loaded the way MODEL.md describes: the symbol and
 * params copied to a folder as {@code m-symbol.json} / {@code m-0000.params}, {@code Model.load},
 * a {@link NoopTranslator}.
 */
final class MxnetReference implements AutoCloseable {
  private final ai.djl.Model model;
  private final Predictor<NDList, NDList> predictor;
  private final NDManager manager;

  MxnetReference(Path symbol, Path params, Path workDir) {
    try {
      Path dir = Files.createTempDirectory(workDir, "djl");
      Files.copy(symbol, dir.resolve("m-symbol.json"), StandardCopyOption.REPLACE_EXISTING);
      Files.copy(params, dir.resolve("m-0000.params"), StandardCopyOption.REPLACE_EXISTING);
      model = ai.djl.Model.newInstance("m", Device.cpu(), "MXNet");
      model.load(dir, "m");
      predictor = model.newPredictor(new NoopTranslator());
      manager = NDManager.newBaseManager(Device.cpu(), "MXNet");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (MalformedModelException e) {
      throw new IllegalStateException("MXNet refused the model " + symbol + ": " + e.getMessage(), e);
    }
  }

  /** The first output for a float32 batch of the given shape, c-order values. */
  float[] predict(float[] input, long... shape) {
    try (NDManager batch = manager.newSubManager()) {
      NDArray x = batch.create(input, new ai.djl.ndarray.types.Shape(shape));
      NDList out = predictor.predict(new NDList(x));
      return out.get(0).toFloatArray();
    } catch (TranslateException e) {
      throw new IllegalStateException("MXNet failed to run the model: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    manager.close();
    predictor.close();
    model.close();
  }
}

package io.mrt.runtime.onnx;

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
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * ONNX Runtime through DJL's OnnxRuntime engine: the model file copied into a folder as
 * {@code m.onnx}, {@code Model.load}, a {@link NoopTranslator}; float32 inputs in, float32
 * outputs out.
 */
final class OrtReference implements AutoCloseable {
  private final ai.djl.Model model;
  private final Predictor<NDList, NDList> predictor;
  private final NDManager manager;

  OrtReference(Path onnx, Path workDir) {
    try {
      Path dir = Files.createTempDirectory(workDir, "ort");
      Files.copy(onnx, dir.resolve("m.onnx"), StandardCopyOption.REPLACE_EXISTING);
      model = ai.djl.Model.newInstance("m", Device.cpu(), "OnnxRuntime");
      model.load(dir, "m");
      predictor = model.newPredictor(new NoopTranslator());
      manager = NDManager.newBaseManager(Device.cpu(), "OnnxRuntime");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (MalformedModelException e) {
      throw new IllegalStateException("ONNX Runtime refused " + onnx + ": " + e.getMessage(), e);
    }
  }

  /** The outputs for the given float32 inputs, in the model's input order. */
  List<INDArray> run(INDArray... inputs) {
    try (NDManager batch = manager.newSubManager()) {
      NDList in = new NDList();
      for (INDArray x : inputs) {
        NDArray a = batch.create(x.dup('c').data().asFloat(), new ai.djl.ndarray.types.Shape(x.shape()));
        in.add(a);
      }
      NDList out = predictor.predict(in);
      List<INDArray> result = new ArrayList<>();
      for (NDArray o : out) {
        result.add(Nd4j.create(o.toFloatArray(), o.getShape().getShape(), 'c'));
      }
      return result;
    } catch (TranslateException e) {
      throw new IllegalStateException("ONNX Runtime failed to run the model: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    manager.close();
    predictor.close();
    model.close();
  }
}

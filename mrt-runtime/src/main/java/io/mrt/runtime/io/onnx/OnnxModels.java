package io.mrt.runtime.io.onnx;

import io.mrt.api.graph.Model;
import io.mrt.onnx.OnnxFormatException;
import io.mrt.onnx.OnnxModelReader;
import io.mrt.onnx.OnnxTensors;
import io.mrt.runtime.MrtException;
import java.nio.file.Path;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * ONNX files in: the model reader of {@code mrt-onnx}, with its errors as the runtime's
 * user-facing {@link MrtException} (exit 2). The graph holds {@code onnx_*} ops until the prepare
 * stage imports it ({@link io.mrt.runtime.pass.ImportOpsPass}).
 */
public final class OnnxModels {
  /** The file extension that selects this format. */
  public static final String EXTENSION = ".onnx";

  private OnnxModels() {}

  /** Reads an ONNX model file. */
  public static Model load(Path file) {
    try {
      return OnnxModelReader.read(file);
    } catch (OnnxFormatException e) {
      throw new MrtException(e.getMessage(), e);
    }
  }

  /** Reads a serialized ONNX TensorProto ({@code .pb}) file. */
  public static INDArray loadTensor(Path file) {
    try {
      return OnnxTensors.readFile(file);
    } catch (OnnxFormatException e) {
      throw new MrtException(e.getMessage(), e);
    }
  }

  /** Whether {@code file} names an ONNX model by its extension. */
  public static boolean isOnnx(Path file) {
    return file.getFileName() != null && file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(EXTENSION);
  }
}

package io.mrt.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mrt.api.graph.Model;
import io.mrt.runtime.exec.fp.FloatExecutor;
import io.mrt.runtime.io.mxnet.ModelFiles;
import io.mrt.runtime.io.mxnet.MxnetModels;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The generated MobileNetV2 (width 0.5, CIFAR-10): its layers, and that its files load and run. */
class MobileNetV2CifarTest {
  @TempDir Path dir;

  @Test
  void theModelHasMobileNetV2sLayersAndItsFilesRunOnTheFloatExecutor() throws Exception {
    MobileNetV2Cifar.Generated g = MobileNetV2Cifar.build(0);
    long convs = g.model().graph().nodes().stream().filter(n -> n.op().equals("Convolution")).count();
    long depthwise = g.model().graph().nodes().stream()
        .filter(n -> n.op().equals("Convolution") && !n.attrs().raw("num_group").orElse("1").equals("1")).count();
    long adds = g.model().graph().nodes().stream().filter(n -> n.op().equals("elemwise_add")).count();
    // stem + 17 blocks (16 of them with an expansion conv) x (depthwise + projection) + head = 52
    assertEquals(52, convs);
    assertEquals(17, depthwise);
    // blocks of stride 1 with equal channels: 1 + 2 + 3 + 2 + 2 = 10
    assertEquals(10, adds);

    MobileNetV2Cifar.main(new String[] {dir.toString(), "0"});
    Model m = MxnetModels.loadRunnable(ModelFiles.locate(dir));
    Nd4j.getRandom().setSeed(1);
    INDArray x = Nd4j.rand(DataType.FLOAT, 2, 3, 32, 32);
    INDArray y = new FloatExecutor(m).run(x).get(0);
    assertArrayEquals(new long[] {2, 10}, y.shape());
  }
}

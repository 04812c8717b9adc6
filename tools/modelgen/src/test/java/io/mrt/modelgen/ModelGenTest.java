package io.mrt.modelgen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mrt.api.graph.Graph;
import io.mrt.api.graph.Model;
import io.mrt.api.graph.Node;
import io.mrt.runtime.exec.fp.FloatExecutor;
import io.mrt.runtime.io.mxnet.ModelFiles;
import io.mrt.runtime.io.mxnet.MxnetModels;
import io.mrt.runtime.registry.OpTable;
import io.mrt.runtime.stage.StageFiles;
import io.mrt.runtime.stage.prepare.PrepareStage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Every model of the tool is written, read back, prepared and run by the float executor on two
 * seeded standard-normal images: the output has one finite logit per class, bounded (the measured
 * BatchNorm statistics keep every BatchNorm output at unit scale; residual sums grow it with depth)
 * and different for the two images.
 */
class ModelGenTest {
  private static final OpTable OPS = OpTable.load();

  @TempDir
  Path dir;

  private static Map<String, Integer> opCounts(Graph g) {
    Map<String, Integer> counts = new TreeMap<>();
    g.ops().forEach(n -> counts.merge(n.op(), 1, Integer::sum));
    return counts;
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = ';', value = {
      "resnet18_v1; 11699112; {Activation=17, BatchNorm=20, Convolution=20, FullyConnected=1, Pooling=2, elemwise_add=8}",
      "resnet50_v1; 25629032; {Activation=49, BatchNorm=53, Convolution=53, FullyConnected=1, Pooling=2, elemwise_add=16}",
      "mobilenetv2_1.0; 3537984; {BatchNorm=52, Convolution=53, Flatten=1, Pooling=1, clip=35, elemwise_add=10}",
      "cifar_mobilenetv2_0.5; 715584; {BatchNorm=52, Convolution=53, Flatten=1, Pooling=1, clip=35, elemwise_add=10}"})
  void writesTheGluonGraphAndItPreparesAndRunsWithBoundedOutputs(String name, long values, String ops)
      throws Exception {
    ModelGen.Generated gen = ModelGen.generate(name, ModelGen.SEED, OPS);
    ModelGen.write(gen, dir);
    assertTrue(Files.isRegularFile(dir.resolve(name + ".json")));
    assertTrue(Files.isRegularFile(dir.resolve(name + ".params")));

    Model read = MxnetModels.loadRunnable(new ModelFiles(dir.resolve(name + ".json"),
        dir.resolve(name + ".params")));
    assertEquals(ops, opCounts(read.graph()).toString());
    assertEquals(values, read.params().values().stream().mapToLong(INDArray::length).sum());
    assertEquals(List.of("data"), List.copyOf(read.inputNames()));

    PrepareStage.Result prepared = PrepareStage.run(new StageFiles(dir, dir.resolve("out"), name, dir.resolve("dump")),
        gen.inputShape(), List.of(), OPS);
    int side = gen.inputShape().get(2);
    INDArray x = BatchNormStats.images(2, side, 99);
    INDArray y = new FloatExecutor(prepared.prepared(), OPS).run(x).get(0).castTo(DataType.DOUBLE);
    assertArrayEquals(new long[] {2, gen.classes()}, y.shape());
    double[] v = y.data().asDouble();
    for (double d : v) {
      assertTrue(Double.isFinite(d), name + ": finite logits");
    }
    double max = y.amaxNumber().doubleValue();
    // 16 residual sums of unit-scale branches: resnet50_v1's logits reach about 270 at seed 17
    assertTrue(max < 1000, name + ": logits bounded, largest |logit| " + max);
    assertTrue(y.stdNumber().doubleValue() > 0.05, name + ": logits spread, std " + y.stdNumber());
    assertFalse(y.getRow(0).equalsWithEps(y.getRow(1), 1e-3), name + ": two images give two outputs");
  }

  @Test
  void gluonNamesAndAttributesOfResnet18() {
    Graph g = Graph.of(Zoo.RESNET18_V1.build(new GluonGraph(ModelGen.SEED, 3)));
    List<String> first = g.ops().stream().limit(5).map(n -> n.op() + " " + n.name()).toList();
    assertEquals(List.of("Convolution resnetv10_conv0_fwd", "BatchNorm resnetv10_batchnorm0_fwd",
        "Activation resnetv10_relu0_fwd", "Pooling resnetv10_pool0_fwd", "Convolution resnetv10_stage1_conv0_fwd"),
        first);
    Node conv0 = g.node("resnetv10_conv0_fwd").orElseThrow();
    assertEquals("{dilate=(1, 1), kernel=(7, 7), layout=NCHW, no_bias=True, num_filter=64, num_group=1, "
        + "pad=(3, 3), stride=(2, 2)}", conv0.attrs().toString());
    Node add = g.node("resnetv10_stage2__plus0").orElseThrow();
    // residual first (the downsample branch), then the body
    assertEquals(List.of("resnetv10_stage2_batchnorm2_fwd", "resnetv10_stage2_batchnorm1_fwd"),
        add.inputs().stream().map(e -> e.node().name()).toList());
    assertEquals("resnetv10_stage2__plus0", g.node("resnetv10_stage2_activation0").orElseThrow().input(0).node().name());
    assertEquals("{flatten=True, no_bias=False, num_hidden=1000}",
        g.node("resnetv10_dense0_fwd").orElseThrow().attrs().toString());
    assertEquals(3, g.node("resnetv10_batchnorm0_fwd").orElseThrow().numOutputs());
  }

  @Test
  void mobilenetUsesDepthwiseConvolutionAndClipForRelu6() {
    Graph g = Graph.of(Zoo.CIFAR_MOBILENETV2_0_5.build(new GluonGraph(ModelGen.SEED, 3)));
    Node dw = g.node("mobilenetv20_features_linearbottleneck1_conv1_fwd").orElseThrow();
    assertEquals("{dilate=(1, 1), kernel=(3, 3), layout=NCHW, no_bias=True, num_filter=48, num_group=48, "
        + "pad=(1, 1), stride=(2, 2)}", dw.attrs().toString());
    assertEquals("{a_max=6, a_min=0}", g.node("mobilenetv20_features_relu60_fwd").orElseThrow().attrs().toString());
    assertEquals("Flatten", g.heads().get(0).node().op());
    assertEquals("mobilenetv20_output_flatten0_flatten0", g.heads().get(0).node().name());
  }

  @Test
  void theSameSeedWritesTheSameBytesAndAnotherSeedOtherWeights() throws Exception {
    Path a = Files.createDirectories(dir.resolve("a"));
    Path b = Files.createDirectories(dir.resolve("b"));
    Path c = Files.createDirectories(dir.resolve("c"));
    ModelGen.write(ModelGen.generate("resnet18_v1", 5, OPS), a);
    ModelGen.write(ModelGen.generate("resnet18_v1", 5, OPS), b);
    ModelGen.write(ModelGen.generate("resnet18_v1", 6, OPS), c);
    String p = "resnet18_v1.params";
    assertArrayEquals(Files.readAllBytes(a.resolve(p)), Files.readAllBytes(b.resolve(p)));
    assertArrayEquals(Files.readAllBytes(a.resolve("resnet18_v1.json")),
        Files.readAllBytes(c.resolve("resnet18_v1.json")));
    assertFalse(java.util.Arrays.equals(Files.readAllBytes(a.resolve(p)), Files.readAllBytes(c.resolve(p))));
  }
}

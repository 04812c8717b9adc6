package io.mrt.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mrt.api.graph.Graph;
import io.mrt.api.graph.Node;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The exported graphs have exactly the MXNet ops, names and attributes of the architectures. */
class ArchitectureTest {
  private static List<String> ops(Graph g) {
    return g.ops().stream().map(n -> n.op() + " " + n.name()).toList();
  }

  @Test
  void dappGraphIsMrtsTutorialNetwork() {
    Graph g = Graph.of(Architecture.DAPP.build().head());
    assertEquals(List.of(
        "Convolution dapp_conv0", "Activation dapp_relu0", "Pooling dapp_pool0",
        "Convolution dapp_conv1", "Activation dapp_relu1", "Pooling dapp_pool1",
        "Convolution dapp_conv2", "Activation dapp_relu2", "Pooling dapp_pool2",
        "Convolution dapp_conv3", "Activation dapp_relu3", "Pooling dapp_pool3",
        "Flatten dapp_flatten0", "FullyConnected dapp_dense0"), ops(g));
    assertEquals(List.of("data", "dapp_conv0_weight", "dapp_conv0_bias", "dapp_conv1_weight", "dapp_conv1_bias",
        "dapp_conv2_weight", "dapp_conv2_bias", "dapp_conv3_weight", "dapp_conv3_bias", "dapp_dense0_weight",
        "dapp_dense0_bias"), g.variables().stream().map(Node::name).toList());
    Node conv2 = g.node("dapp_conv2").orElseThrow();
    assertEquals("{dilate=(1, 1), kernel=(3, 3), layout=NCHW, no_bias=False, num_filter=64, num_group=1, "
        + "pad=(0, 0), stride=(1, 1)}", conv2.attrs().toString());
    assertEquals("{global_pool=False, kernel=(2, 2), pad=(0, 0), pool_type=max, pooling_convention=valid, "
        + "stride=(1, 1)}", g.node("dapp_pool1").orElseThrow().attrs().toString());
    assertEquals("(2, 2)", g.node("dapp_pool2").orElseThrow().attrs().getString("stride"));
    assertEquals("128", g.node("dapp_conv3").orElseThrow().attrs().getString("num_filter"));
    assertEquals("(1, 1)", g.node("dapp_conv3").orElseThrow().attrs().getString("kernel"));
    assertEquals("{flatten=True, no_bias=False, num_hidden=10}", g.node("dapp_dense0").orElseThrow().attrs().toString());
  }

  @Test
  void fashionResnetUsesBatchNormResidualAddConcatGlobalPoolDropoutAndSoftmax() {
    Net net = Architecture.FASHION_RESNET.build();
    Graph g = Graph.of(net.head());
    List<String> ops = g.ops().stream().map(Node::op).distinct().sorted().toList();
    assertEquals(List.of("Activation", "BatchNorm", "Concat", "Convolution", "Dropout", "Flatten", "FullyConnected",
        "Pooling", "elemwise_add", "softmax"), ops);
    assertEquals(2, g.ops().stream().filter(n -> n.op().equals("elemwise_add")).count());
    // stem 1, first residual block 2, concat branches 2, second residual block 2, last conv 1
    assertEquals(8, g.ops().stream().filter(n -> n.op().equals("BatchNorm")).count());
    Node add0 = g.node("fres_add0").orElseThrow();
    // residual: the second BatchNorm of the block plus the block's input (the pooled stem)
    assertEquals("fres_batchnorm2", add0.input(0).node().name());
    assertEquals("fres_pool0", add0.input(1).node().name());
    Node concat = g.node("fres_concat0").orElseThrow();
    assertEquals("{dim=1, num_args=2}", concat.attrs().toString());
    assertEquals(List.of("fres_relu3", "fres_relu4"), concat.inputs().stream().map(e -> e.node().name()).toList());
    Node bn = g.node("fres_batchnorm0").orElseThrow();
    assertEquals(3, bn.numOutputs());
    assertEquals(List.of("fres_conv0", "fres_batchnorm0_gamma", "fres_batchnorm0_beta", "fres_batchnorm0_running_mean",
        "fres_batchnorm0_running_var"), bn.inputs().stream().map(e -> e.node().name()).toList());
    assertEquals("{axis=1, eps=1e-05, fix_gamma=False, momentum=0.9, use_global_stats=False}", bn.attrs().toString());
    assertEquals("{global_pool=True, kernel=(1, 1), pad=(0, 0), pool_type=avg, pooling_convention=valid, stride=(1, 1)}",
        g.node("fres_pool2").orElseThrow().attrs().toString());
    assertEquals("{p=0.3}", g.node("fres_dropout0").orElseThrow().attrs().toString());
    Node head = net.head().node();
    assertEquals("softmax", head.op());
    assertEquals("{axis=-1}", head.attrs().toString());
    assertEquals(16, net.builder().auxNames().size());
  }

  @Test
  void fashionMobilenetv2HasInvertedResidualsWithDepthwiseConvolutionsAndRelu6AsClip() {
    Net net = Architecture.FASHION_MOBILENETV2.build();
    Graph g = Graph.of(net.head());
    assertEquals(List.of("BatchNorm", "Convolution", "Dropout", "Flatten", "FullyConnected", "Pooling", "clip",
        "elemwise_add", "softmax"), g.ops().stream().map(Node::op).distinct().sorted().toList());
    // stem 1; first block (t = 1) depthwise + projection 2; eight blocks of t = 6 with 3 each; head 1x1 1
    assertEquals(28, g.ops().stream().filter(n -> n.op().equals("Convolution")).count());
    assertEquals(28, g.ops().stream().filter(n -> n.op().equals("BatchNorm")).count());
    // stem, the first block's depthwise, two per expanded block, the head: 1 + 1 + 16 + 1
    assertEquals(19, g.ops().stream().filter(n -> n.op().equals("clip")).count());
    assertEquals(List.of("fmv2_conv1 16 16 (1, 1)", "fmv2_conv4 48 48 (2, 2)", "fmv2_conv7 72 72 (1, 1)",
        "fmv2_conv10 72 72 (2, 2)", "fmv2_conv13 96 96 (1, 1)", "fmv2_conv16 96 96 (1, 1)", "fmv2_conv19 96 96 (1, 1)",
        "fmv2_conv22 192 192 (1, 1)", "fmv2_conv25 192 192 (1, 1)"),
        g.ops().stream().filter(n -> n.op().equals("Convolution") && !n.attrs().getString("num_group").equals("1"))
            .map(n -> n.name() + " " + n.attrs().getString("num_filter") + " " + n.attrs().getString("num_group") + " "
                + n.attrs().getString("stride")).toList());
    assertEquals("{dilate=(1, 1), kernel=(3, 3), layout=NCHW, no_bias=True, num_filter=48, num_group=48, "
        + "pad=(1, 1), stride=(2, 2)}", g.node("fmv2_conv4").orElseThrow().attrs().toString());
    assertEquals("{a_max=6.0, a_min=0.0}", g.node("fmv2_relu60").orElseThrow().attrs().toString());
    // residual adds where the stride is 1 and the channels are kept: the projection's BatchNorm plus the block input
    assertEquals(List.of("fmv2_add0 fmv2_batchnorm8 fmv2_batchnorm5", "fmv2_add1 fmv2_batchnorm14 fmv2_batchnorm11",
        "fmv2_add2 fmv2_batchnorm17 fmv2_add1", "fmv2_add3 fmv2_batchnorm23 fmv2_batchnorm20"),
        g.ops().stream().filter(n -> n.op().equals("elemwise_add"))
            .map(n -> n.name() + " " + n.input(0).node().name() + " " + n.input(1).node().name()).toList());
    // the projections are linear: no clip after the BatchNorm of a 1x1 projection
    assertEquals("fmv2_batchnorm2", g.node("fmv2_conv3").orElseThrow().input(0).node().name());
    assertEquals("{flatten=True, no_bias=False, num_hidden=10}", g.node("fmv2_dense0").orElseThrow().attrs().toString());
    assertEquals("{p=0.2}", g.node("fmv2_dropout0").orElseThrow().attrs().toString());
    assertEquals("softmax", net.head().node().op());
    assertEquals(56, net.builder().auxNames().size());
  }
}

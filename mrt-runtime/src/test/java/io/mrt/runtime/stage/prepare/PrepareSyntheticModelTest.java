package io.mrt.runtime.stage.prepare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Entry;
import io.mrt.api.graph.Graph;
import io.mrt.api.graph.Model;
import io.mrt.api.graph.Node;
import io.mrt.runtime.exec.fp.FloatExecutor;
import io.mrt.runtime.io.mxnet.ModelFiles;
import io.mrt.runtime.io.mxnet.MxnetModels;
import io.mrt.runtime.registry.OpTable;
import io.mrt.runtime.stage.StageFiles;
import io.mrt.runtime.stage.prepare.PrepareStage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The prepare stage, files to files, on a synthetic MXNet model that triggers the passes the real
 * models do not: a duplicated name, arg:/aux: prefixes, an input not called data, BatchNorm folded
 * into a Convolution and BatchNorm after an activation, LeakyReLU, scalar ops, windowed and global
 * average pooling, and a FullyConnected with more than 65536 inputs. The float outputs before and
 * after prepare agree to 1e-4.
 */
class PrepareSyntheticModelTest {
  private static final Logger LOG = LoggerFactory.getLogger(PrepareSyntheticModelTest.class);
  private static final OpTable OPS = OpTable.load();

  @TempDir
  Path dir;

  private final Map<String, INDArray> params = new LinkedHashMap<>();
  private final Random random = new Random(42);

  private INDArray values(double scale, double offset, long... shape) {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    float[] v = new float[(int) n];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (offset + scale * random.nextGaussian());
    }
    return Nd4j.create(v, shape, 'c');
  }

  private Node param(String key, INDArray value) {
    params.put(key, value);
    return Node.variable(key.substring(key.indexOf(':') + 1), Attrs.empty());
  }

  private static Node op(String op, String name, Attrs a, Node... in) {
    List<Entry> e = new ArrayList<>();
    for (Node n : in) {
      e.add(n.out());
    }
    return new Node(op, name, a, e, 1);
  }

  private Node batchNorm(String name, Node x, long c) {
    return op("BatchNorm", name, Attrs.of("eps", "1e-05", "fix_gamma", "False"), x,
        param("arg:" + name + "_gamma", values(0.2, 1, c)), param("arg:" + name + "_beta", values(0.2, 0, c)),
        param("aux:" + name + "_moving_mean", values(0.2, 0, c)),
        param("aux:" + name + "_moving_var", values(0.1, 1, c)));
  }

  private Model synthetic() {
    Node x = Node.variable("x", Attrs.empty());
    Node conv = op("Convolution", "conv0", Attrs.of("kernel", "(3, 3)", "num_filter", "4", "pad", "(1, 1)",
        "no_bias", "True"), x, param("arg:conv0_weight", values(0.2, 0, 4, 3, 3, 3)));
    Node bnFold = batchNorm("bn_fold", conv, 4);
    Node relu = op("Activation", "dup", Attrs.of("act_type", "relu"), bnFold);
    Node bn = batchNorm("bn_act", relu, 4);
    Node leaky = op("LeakyReLU", "dup", Attrs.of("act_type", "leaky", "slope", "0.1"), bn);
    Node mul = op("_mul_scalar", "mul", Attrs.of("scalar", "0.5"), leaky);
    Node plus = op("_plus_scalar", "plus", Attrs.of("scalar", "1"), mul);
    Node minus = op("_minus_scalar", "minus", Attrs.of("scalar", "0.25"), plus);
    Node div = op("_div_scalar", "div", Attrs.of("scalar", "2"), minus);
    Node avg = op("Pooling", "avg", Attrs.of("kernel", "(5, 5)", "stride", "(5, 5)", "pool_type", "avg"), div);
    Node gap = op("Pooling", "gap", Attrs.of("kernel", "(1, 1)", "global_pool", "True", "pool_type", "avg"), avg);
    Node fcA = op("FullyConnected", "fc_small", Attrs.of("num_hidden", "10"), gap,
        param("arg:fc_small_weight", values(0.5, 0, 10, 4)), param("arg:fc_small_bias", values(0.1, 0, 10)));
    Node fcB = op("FullyConnected", "fc_big", Attrs.of("num_hidden", "10"), x,
        param("arg:fc_big_weight", values(0.01, 0, 10, 3 * 150 * 150)), param("arg:fc_big_bias", values(0.1, 0, 10)));
    Node out = op("elemwise_add", "out", Attrs.empty(), fcA, fcB);
    return new Model(new Graph(List.of(out.out())), params);
  }

  @Test
  void preparedSyntheticModelAgreesWithTheOriginal() {
    Model original = synthetic();
    MxnetModels.save(original, new ModelFiles(dir.resolve("synth-symbol.json"),
        dir.resolve("synth-0000.params")));
    StageFiles files = new StageFiles(dir, dir.resolve("out"), "synth", dir.resolve("dump"));
    PrepareStage.Result r = PrepareStage.run(files, List.of(-1, 3, 150, 150), List.of(), OPS);

    Model fixed = MxnetModels.load(new ModelFiles(files.fixedSymbol(), files.fixedParams()));
    Model prepared = MxnetModels.load(
        new ModelFiles(files.prepareSymbol(), files.prepareParams()));
    assertTrue(fixed.graph().node("dup_0").isPresent(), "the second 'dup' is renamed dup_0");
    assertTrue(fixed.params().containsKey("bn_act_moving_var"), "prefixes removed");

    Map<String, Integer> ops = new TreeMap<>();
    for (Node n : prepared.graph().ops()) {
      ops.merge(n.op(), 1, Integer::sum);
    }
    assertEquals(Map.ofEntries(
        Map.entry("Activation", 1),
        Map.entry("Convolution", 2),
        Map.entry("Flatten", 2),
        Map.entry("FullyConnected", 3),
        Map.entry("broadcast_add", 3),
        Map.entry("broadcast_mul", 5),
        Map.entry("broadcast_sub", 1),
        Map.entry("elemwise_add", 2),
        Map.entry("elemwise_sub", 1),
        Map.entry("negative", 1),
        Map.entry("relu", 2),
        Map.entry("slice_axis", 2),
        Map.entry("sum", 1)), ops);
    assertEquals(List.of("data"), List.copyOf(prepared.inputNames()));

    INDArray input = values(1, 0, 2, 3, 150, 150);
    INDArray a = new FloatExecutor(fixed, OPS).run(input).get(0).castTo(DataType.DOUBLE);
    INDArray b = new FloatExecutor(prepared, OPS).run(input).get(0).castTo(DataType.DOUBLE);
    double abs = a.sub(b).amaxNumber().doubleValue();
    double rel = abs / Math.max(1.0, a.amaxNumber().doubleValue());
    LOG.info("synthetic: prepared ops {}; max |fixed - prepared| = {} (relative {})", ops, abs, rel);
    assertTrue(rel <= 1e-4, "outputs differ by " + abs + " (relative " + rel + ")");
    assertEquals(r.prepared().graph().ops().size(), prepared.graph().ops().size());
  }
}

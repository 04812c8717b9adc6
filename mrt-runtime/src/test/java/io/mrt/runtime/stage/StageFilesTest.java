package io.mrt.runtime.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Graph;
import io.mrt.api.graph.Model;
import io.mrt.api.graph.Node;
import io.mrt.runtime.io.StageExt;
import io.mrt.runtime.io.mxnet.ModelFiles;
import io.mrt.runtime.io.mxnet.MxnetModels;
import io.mrt.runtime.registry.OpTable;
import io.mrt.runtime.stage.calibrate.CalibrateOptions;
import io.mrt.runtime.stage.calibrate.CalibrateStage;
import io.mrt.runtime.stage.quantize.QuantizeOptions;
import io.mrt.runtime.stage.quantize.QuantizeStage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The calibrate and quantize stages as functions from files to files, so a run can resume. */
class StageFilesTest {
  @TempDir
  Path dir;

  /**
   * NAME.prepare.{json,params} (data(1,2) -> fc with w = [[1, -0.5]] -> relu) calibrated on the
   * batches {1, 2} and {-2, 0.5}: data 2, w 1, fc max(|1 - 1|, |-2 - 0.25|) = 2.25, relu 0.
   * Quantized from those files: the .ext lines as MRT writes them, and what the compile and
   * evaluate stages read back.
   */
  @Test
  void calibrateThenQuantizeWriteTheirFilesAndSideFiles() {
    Node data = Node.variable("data", Attrs.of("__shape__", "(1, 2)"));
    Node fc = Node.op("FullyConnected", "fc", Attrs.of("num_hidden", "1", "no_bias", "True"), data.out(),
        Node.variable("w", Attrs.empty()).out());
    Node relu = Node.op("Activation", "relu", Attrs.of("act_type", "relu"), fc.out());
    Model m = new Model(Graph.of(relu.out()), Map.of("w", Nd4j.create(new float[] {1, -0.5f}, new long[] {1, 2})));
    StageFiles files = new StageFiles(dir, dir, "tiny", dir);
    MxnetModels.save(m, new ModelFiles(files.prepareSymbol(), files.prepareParams()));
    OpTable ops = OpTable.load();
    List<INDArray> batches = List.of(Nd4j.create(new float[] {1, 2}, new long[] {1, 2}),
        Nd4j.create(new float[] {-2, 0.5f}, new long[] {1, 2}));

    Map<String, Double> th = CalibrateStage.run(files, false, batches.iterator(), CalibrateOptions.of(1, 2), ops);
    assertEquals(Map.of("data", 2.0, "w", 1.0, "fc", 2.25, "relu", 0.0), th);
    assertTrue(Files.exists(files.calibrate("json")) && Files.exists(files.calibrate("params")));
    List<JsonNode> ext = StageExt.read(files.calibrate("ext"), 5);
    assertEquals("[\"relu\"]", ext.get(0).toString());
    assertEquals(2.25, ext.get(1).get("fc").asDouble());
    assertEquals("{\"method\":\"abs_max\",\"batches\":2,\"batch\":1}", ext.get(4).toString());
    assertEquals(th, CalibrateStage.readThresholds(files.calibrate("ext")));

    // a new process resumes from the files: only they are read
    QuantizeStage.Outcome out = QuantizeStage.run(files, QuantizeOptions.defaults(), new long[] {1, 2}, ops);
    List<JsonNode> q = StageExt.read(files.quantize("ext"), 5);
    assertEquals("[\"relu\"]", q.get(0).toString());
    assertEquals(8, q.get(2).get("data").get("out_key").asInt());
    assertEquals(63.5, q.get(3).get("data").asDouble()); // 127 / 2
    assertEquals("{\"name\":\"data\",\"scale\":63.5,\"precision\":8}", q.get(4).get("input").toString());
    List<JsonNode> all = StageExt.read(files.allQuantize("ext"), 2);
    assertEquals(out.outputScales().get(0), all.get(0).get(0).asDouble());
    assertEquals("{\"data\":{\"scale\":63.5,\"target_bit\":8}}", all.get(1).toString());

    QuantizedModel read = QuantizedModel.read(files);
    assertEquals(63.5, read.inputScale());
    assertEquals(8, read.inputPrecision());
    assertEquals(out.outputScales(), read.outputScales());
    assertEquals(out.quantized().model().graph().nodes().size(), read.model().graph().nodes().size());
  }

  /**
   * A model split at relu (PREPARE.SPLIT_KEYS [relu]): the base data -> fc -> relu is calibrated and
   * quantized, the float top relu -> clip(0, 1.5) is merged over it into NAME.all.quantize.*: the
   * clip reads the base's integers, so ATTRIBUTE_DEPS [[clip, [[a_max, relu]]]] scales its bound by
   * the base output's scale, and OSCALE_MAPS [[top, relu]] gives the output that scale.
   */
  @Test
  void aSplitModelIsMergedAfterQuantization() {
    Node data = Node.variable("data", Attrs.of("__shape__", "(1, 2)"));
    Node fc = Node.op("FullyConnected", "fc", Attrs.of("num_hidden", "2", "no_bias", "True"), data.out(),
        Node.variable("w", Attrs.empty()).out());
    Node relu = Node.op("Activation", "relu", Attrs.of("act_type", "relu"), fc.out());
    Node clip = Node.op("clip", "top", Attrs.of("a_min", "0", "a_max", "1.5"), relu.out());
    Model m = new Model(Graph.of(clip.out()), Map.of("w", Nd4j.create(new float[] {1, 0, 0, 1}, new long[] {2, 2})));
    OpTable ops = OpTable.load();
    io.mrt.runtime.pass.ModelSplitter.Split split = io.mrt.runtime.pass.ModelSplitter.split(m, List.of("relu"), ops);
    StageFiles files = new StageFiles(dir, dir, "split", dir);
    MxnetModels.save(split.base(), new ModelFiles(files.stageFile("base", "json"), files.stageFile("base", "params")));
    MxnetModels.save(split.top(), new ModelFiles(files.stageFile("top", "json"), files.stageFile("top", "params")));

    CalibrateStage.run(files, true, List.of(Nd4j.create(new float[] {2, -1}, new long[] {1, 2})).iterator(),
        CalibrateOptions.of(1, 1), ops);
    QuantizeOptions o = QuantizeOptions.defaults().withSplit(List.of("relu"), Map.of("clip", Map.of("a_max", "relu")),
        Map.of("top", "relu"));
    QuantizeStage.Outcome out = QuantizeStage.run(files, o, new long[] {1, 2}, ops);
    // relu: th 2, scale 127 / 2 * 127 / 1 = 8064.5
    assertEquals(List.of(8064.5), out.quantized().outputScales());
    assertEquals(List.of(8064.5), out.outputScales());
    assertTrue(Files.exists(files.allQuantize("json")));
    QuantizedModel merged = QuantizedModel.read(files);
    Node top = merged.model().graph().heads().get(0).node();
    assertEquals("top", top.name());
    assertEquals("12096", top.attrs().getString("a_max")); // int(1.5 * 8064.5 = 12096.75)
    assertEquals("relu", top.input(0).node().name());
    assertEquals("Activation", top.input(0).node().op());
    assertEquals(List.of(8064.5), merged.outputScales());
  }
}

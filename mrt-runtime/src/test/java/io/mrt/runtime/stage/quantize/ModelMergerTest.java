package io.mrt.runtime.stage.quantize;

import static io.mrt.runtime.stage.quantize.QuantizeFixtures.data;
import static io.mrt.runtime.stage.quantize.QuantizeFixtures.f;
import static io.mrt.runtime.stage.quantize.QuantizeFixtures.fc;
import static io.mrt.runtime.stage.quantize.QuantizeFixtures.quantize;
import static io.mrt.runtime.stage.quantize.QuantizeFixtures.var;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Graph;
import io.mrt.api.graph.Model;
import io.mrt.api.graph.Node;
import io.mrt.runtime.MrtException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Merging a quantized base under its float top (split models). */
class ModelMergerTest {
  /**
   * base: data -> fc (quantized; output scale 63.5 * 127 = 8064.5 after the clip); top: clip over
   * the variable 'fc' with a_max 2.5. ATTRIBUTE_DEPS [[clip, [[a_max, fc]]]] makes a_max
   * int(2.5 * 8064.5) = int(20161.25) = 20161; OSCALE_MAPS [[top_out, fc]] gives the scale 8064.5.
   */
  @Test
  void theBaseReplacesTheTopInputsAndDependentAttributesAreScaled() {
    Node d = data(1, 4);
    Node fc = fc("fc", 3, true, d.out(), var("fc_weight").out());
    QuantizeFixtures.Builder b = new QuantizeFixtures.Builder()
        .param("fc_weight", f(new long[] {3, 4}, 0.5, -1, 0.25, 0, 0.1, 0.2, -0.3, 0.4, 1, 0.004, -0.004, 0.9), 1.0)
        .th("data", 2.0).th("fc", 3.0);
    QuantizeResult base = quantize(b.model(fc.out()), b.th, QuantizeOptions.defaults());
    assertEquals(List.of(8064.5), base.outputScales());

    Node in = Node.variable("fc", Attrs.empty());
    Node clip = Node.op("clip", "top_out", Attrs.of("a_min", "0", "a_max", "2.5"), in.out());
    Model top = new Model(Graph.of(clip.out()), Map.of());
    Map<String, String> oscaleMaps = new LinkedHashMap<>();
    oscaleMaps.put("top_out", "fc");
    ModelMerger.Merged m = ModelMerger.merge(base, top, Map.of("clip", Map.of("a_max", "fc")), oscaleMaps);

    Node out = m.model().graph().heads().get(0).node();
    assertEquals("top_out", out.name());
    assertEquals("20161", out.attrs().getString("a_max"));
    assertEquals("0", out.attrs().getString("a_min"));
    assertEquals("fc_clip", out.input(0).node().name()); // the quantized base output
    assertEquals(List.of(8064.5), m.outputScales());
    assertEquals(base.model().params().keySet(), m.model().params().keySet());

    oscaleMaps.put("top_out", "None");
    assertEquals(List.of(1.0), ModelMerger.merge(base, top, Map.of(), oscaleMaps).outputScales());
    assertEquals("QUANTIZE.OSCALE_MAPS: top_out names 'fc9', which is not an output of the base model [fc]",
        assertThrows(MrtException.class, () -> ModelMerger.merge(base, top, Map.of(), Map.of("top_out", "fc9"))).getMessage());
  }

  @Test
  void aTopNodeNamedLikeABaseNodeAndADependencyOnAnUnknownOutputAreErrors() {
    Node d = data(1, 4);
    Node fc = fc("fc", 3, true, d.out(), var("fc_weight").out());
    QuantizeFixtures.Builder b = new QuantizeFixtures.Builder()
        .param("fc_weight", f(new long[] {3, 4}, 0.5, -1, 0.25, 0, 0.1, 0.2, -0.3, 0.4, 1, 0.004, -0.004, 0.9), 1.0)
        .th("data", 2.0).th("fc", 3.0);
    QuantizeResult base = quantize(b.model(fc.out()), b.th, QuantizeOptions.defaults());
    Node in = Node.variable("fc", Attrs.empty());

    Node clash = Node.op("clip", "fc_clip", Attrs.of("a_min", "0", "a_max", "2.5"), in.out());
    assertEquals("merge: top node fc_clip has the name of a node of the quantized base",
        assertThrows(MrtException.class, () -> ModelMerger.merge(base, new Model(Graph.of(clash.out()), Map.of()),
            Map.of(), Map.of("fc_clip", "fc"))).getMessage());

    Node clip = Node.op("clip", "top_out", Attrs.of("a_min", "0", "a_max", "2.5"), in.out());
    assertEquals("QUANTIZE.ATTRIBUTE_DEPS: clip.a_max names 'fc7', which is not an output of the base model [fc]",
        assertThrows(MrtException.class, () -> ModelMerger.merge(base, new Model(Graph.of(clip.out()), Map.of()),
            Map.of("clip", Map.of("a_max", "fc7")), Map.of("top_out", "fc"))).getMessage());
  }
}

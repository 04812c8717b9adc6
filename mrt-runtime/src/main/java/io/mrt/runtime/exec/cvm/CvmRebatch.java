package io.mrt.runtime.exec.cvm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mrt.runtime.io.cvm.CvmEntryRef;
import io.mrt.runtime.io.cvm.CvmGraph;
import io.mrt.runtime.io.cvm.CvmGraphAttrs;
import io.mrt.runtime.io.cvm.CvmModel;
import io.mrt.runtime.io.cvm.CvmNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The same compiled model for another batch size: the leading dimension of {@code data} becomes
 * {@code n} and every operator's output shape is inferred again with the runtime's own rules
 * (storage ids, precisions and parameters unchanged). A graph whose shapes do not follow the batch
 * (for example a reshape to an explicit batch size) is refused with a {@link CvmLoadException}
 * naming the node.
 */
public final class CvmRebatch {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private CvmRebatch() {
  }

  /** The batch size (leading dimension of {@code data}) of a compiled model, or -1 without data. */
  public static long batchOf(CvmModel model) {
    CvmGraph g = model.graph();
    for (int i = 0; i < g.nodes().size(); i++) {
      if (g.nodes().get(i).isVariable() && "data".equals(g.nodes().get(i).name()) && g.nodeRowPtr() != null
          && i < g.nodeRowPtr().size()) {
        long e = g.nodeRowPtr().get(i);
        if (e >= 0 && e < g.attrs().shape().size() && !g.attrs().shape().get((int) e).isEmpty()) {
          return g.attrs().shape().get((int) e).get(0);
        }
      }
    }
    return -1;
  }

  /** The model with batch size {@code n} (the model itself when it already has that batch). */
  public static CvmModel rebatch(CvmModel model, String source, int n) {
    if (n < 1) {
      throw new CvmLoadException(source + ": batch must be >= 1, found " + n);
    }
    if (batchOf(model) == n) {
      return model;
    }
    // load once to run every check (row pointers, attributes, shapes) on the original
    CvmGraphLoader.load(source, model.graph(), model.params());
    CvmGraph g = model.graph();
    CvmGraphAttrs at = g.attrs();
    List<List<Long>> shapes = new ArrayList<>(at.shape());
    List<Integer> prec = new ArrayList<>(at.precision());
    List<CvmNode> nodes = g.nodes();
    for (int i = 0; i < nodes.size(); i++) {
      CvmNode node = nodes.get(i);
      int row = (int) (long) g.nodeRowPtr().get(i);
      if (node.isVariable()) {
        if ("data".equals(node.name())) {
          List<Long> s = new ArrayList<>(shapes.get(row));
          s.set(0, (long) n);
          shapes.set(row, s);
        }
        continue;
      }
      List<long[]> in = new ArrayList<>();
      int[] ip = new int[node.inputs().size()];
      for (int j = 0; j < ip.length; j++) {
        CvmEntryRef r = node.inputs().get(j);
        int e = (int) (long) g.nodeRowPtr().get(r.nodeId()) + r.index();
        in.add(shapes.get(e).stream().mapToLong(Long::longValue).toArray());
        ip[j] = prec.get(e);
      }
      CvmInference.NodeTypes t = CvmInference.infer(source + ": node " + i + " '" + node.name() + "'",
          CvmGraphLoader.opName(node.funcName()), opAttrs(at.opAttrs().get(i), source), in, ip);
      for (int o = 0; o < t.shapes().size(); o++) {
        List<Long> s = new ArrayList<>();
        for (long d : t.shapes().get(o)) {
          s.add(d);
        }
        shapes.set(row + o, s);
        prec.set(row + o, t.precisions()[o]);
      }
    }
    CvmGraphAttrs na = new CvmGraphAttrs(shapes, at.storageId(), at.precision(), at.dltype(), at.opAttrs(),
        at.deviceIndex(), at.dtype());
    return new CvmModel(new CvmGraph(nodes, g.argNodes(), g.nodeRowPtr(), g.heads(), na, g.version(),
        g.postprocess()), model.params());
  }

  private static Map<String, String> opAttrs(String text, String source) {
    Map<String, String> m = new LinkedHashMap<>();
    try {
      JsonNode n = MAPPER.readTree(text);
      for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> f = it.next();
        m.put(f.getKey(), f.getValue().asText());
      }
    } catch (JsonProcessingException e) {
      throw new CvmLoadException(source + ": op_attrs is not a JSON object: " + e.getOriginalMessage());
    }
    return m;
  }
}

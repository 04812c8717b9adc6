package io.mrt.runtime.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mrt.api.graph.Entry;
import io.mrt.api.graph.Model;
import io.mrt.api.graph.Shape;
import io.mrt.api.hook.OpException;
import io.mrt.onnx.OnnxModelReader;
import io.mrt.onnx.proto.OnnxProto.ModelProto;
import io.mrt.onnx.proto.OnnxProto.NodeProto;
import io.mrt.runtime.MrtException;
import io.mrt.runtime.exec.fp.FloatExecutor;
import io.mrt.runtime.io.onnx.OnnxModels;
import io.mrt.runtime.pass.ImportOpsPass;
import io.mrt.runtime.registry.OpTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The ONNX project's own test cases as the peer suite: Debian's {@code libonnx-testdata} (ONNX
 * 1.12.0; {@code node/}, {@code pytorch-converted/}, {@code pytorch-operator/}, {@code simple/}).
 * Every case whose ops are all in the ONNX op set goes through the reader, the import and the float
 * executor, and its outputs are compared with the case's expected outputs
 * ({@code |ours - expected| <= 1e-4 * max|expected| + 1e-6}). Input 0 is the data input; the other
 * inputs are bound as constants (as initializers are in an exported model); a case whose input 0 is
 * an integer tensor is bound whole and must fold to constants.
 *
 * <p>A case fails when the result differs or an unexpected error occurs; a case is skipped, with
 * the reason, when the import refuses a form the built-in ops cannot express (an op outside the set
 * inside it, asymmetric padding, 3-D windows, training outputs, ...). The table (per op: cases,
 * passed, failed, skipped with reasons) is docs/onnx.md's generated block; the test fails when a
 * supported case fails or when the table is out of date (regenerate with {@code -Dmrt.docs.update=true}).
 * The data is found in {@code /usr/share/libonnx-testdata/data} or the folder named by the system
 * property {@code mrt.onnx.testdata}; a missing folder fails with the install command.
 */
class OnnxNodeSuiteTest {
  static final List<String> SUITES = List.of("node", "pytorch-converted", "pytorch-operator", "simple");

  record Outcome(String suite, String name, Set<String> ops, String status, String reason) {}

  static Path dataDir() {
    return Path.of(System.getProperty("mrt.onnx.testdata", "/usr/share/libonnx-testdata/data"));
  }

  @Test
  void everySupportedCaseOfTheOnnxTestDataPassesAndTheTableIsCurrent() throws IOException {
    Path root = dataDir();
    assertTrue(Files.isDirectory(root.resolve("node")), root + " does not hold the ONNX test data; install it with"
        + " `apt-get install -y libonnx-testdata` or name its data folder with -Dmrt.onnx.testdata=DIR");
    OpTable ops = OpTable.load();
    Set<String> supported = new TreeSet<>();
    ops.ops().forEach(op -> op.descriptor().names().stream().filter(n -> n.startsWith(OnnxModelReader.OP_PREFIX))
        .forEach(n -> supported.add(n.substring(OnnxModelReader.OP_PREFIX.length()))));
    List<Outcome> outcomes = new ArrayList<>();
    int total = 0;
    for (String suite : SUITES) {
      List<Path> cases;
      try (Stream<Path> s = Files.list(root.resolve(suite))) {
        cases = s.filter(p -> Files.isRegularFile(p.resolve("model.onnx"))).sorted().toList();
      }
      for (Path c : cases) {
        total++;
        Set<String> opTypes = opTypes(c.resolve("model.onnx"));
        Set<String> main = new TreeSet<>(opTypes);
        main.remove("Constant");
        if (main.isEmpty() || !supported.containsAll(main)) {
          continue;
        }
        outcomes.add(run(suite, c, main, ops));
      }
    }
    String table = table(outcomes, total);
    System.out.println(table);
    updateOrCheck(table);
    List<String> failed = outcomes.stream().filter(o -> o.status().equals("failed"))
        .map(o -> o.suite() + "/" + o.name() + ": " + o.reason()).toList();
    assertEquals(List.of(), failed, "supported ONNX test cases failed");
  }

  private static boolean tensorsOnly(Path model) throws IOException {
    ModelProto m = ModelProto.parseFrom(Files.readAllBytes(model));
    return Stream.concat(m.getGraph().getInputList().stream(), m.getGraph().getOutputList().stream())
        .allMatch(v -> !v.hasType() || v.getType().hasTensorType());
  }

  private static Set<String> opTypes(Path model) throws IOException {
    ModelProto m = ModelProto.parseFrom(Files.readAllBytes(model));
    Set<String> ops = new LinkedHashSet<>();
    for (NodeProto n : m.getGraph().getNodeList()) {
      ops.add(n.getOpType());
    }
    return ops;
  }

  private static Outcome run(String suite, Path dir, Set<String> ops, OpTable table) throws IOException {
    String name = dir.getFileName().toString();
    if (!tensorsOnly(dir.resolve("model.onnx"))) {
      return new Outcome(suite, name, ops, "skipped", "sequence or optional values (tensors only)");
    }
    try {
      Model model = OnnxModels.load(dir.resolve("model.onnx"));
      Path data = dir.resolve("test_data_set_0");
      List<String> inputNames = new ArrayList<>(model.inputNames());
      List<INDArray> inputs = new ArrayList<>();
      for (int i = 0; i < inputNames.size(); i++) {
        inputs.add(OnnxModels.loadTensor(data.resolve("input_" + i + ".pb")));
      }
      List<INDArray> expected = new ArrayList<>();
      for (int i = 0; Files.exists(data.resolve("output_" + i + ".pb")); i++) {
        expected.add(OnnxModels.loadTensor(data.resolve("output_" + i + ".pb")));
      }
      boolean bindAll = inputs.isEmpty() || !inputs.get(0).dataType().isFPType();
      Map<String, INDArray> params = new LinkedHashMap<>(model.params());
      for (int i = bindAll ? 0 : 1; i < inputs.size(); i++) {
        params.put(inputNames.get(i), inputs.get(i));
      }
      Model bound = new Model(model.graph(), params);
      Model imported;
      if (bindAll) {
        Map<String, Shape> none = Map.of();
        imported = new ImportOpsPass(none).apply(bound, new io.mrt.runtime.pass.PassContext(table));
      } else {
        imported = ImportOpsPass.importModel(bound, Shape.of(inputs.get(0).shape()), table);
      }
      List<INDArray> actual = new ArrayList<>();
      if (bindAll || imported.inputNames().isEmpty()) {
        for (Entry h : imported.graph().heads()) {
          INDArray v = imported.params().get(h.node().name());
          if (v == null) {
            return new Outcome(suite, name, ops, "skipped", "integer data input (the float executor runs float32)");
          }
          actual.add(v);
        }
      } else {
        actual = new FloatExecutor(imported, table).run(inputs.get(0));
      }
      if (actual.size() != expected.size()) {
        return new Outcome(suite, name, ops, "failed", actual.size() + " outputs, expected " + expected.size());
      }
      for (int i = 0; i < actual.size(); i++) {
        String diff = compare(actual.get(i), expected.get(i));
        if (diff != null) {
          return new Outcome(suite, name, ops, "failed", "output " + i + ": " + diff);
        }
      }
      return new Outcome(suite, name, ops, "passed", "");
    } catch (MrtException | OpException e) {
      String m = e.getMessage();
      if (m.contains("not supported") || m.contains("must be a constant") || m.contains("cannot be mapped")
          || m.contains("no registered implementation")) {
        return new Outcome(suite, name, ops, "skipped", reason(m));
      }
      return new Outcome(suite, name, ops, "failed", m);
    } catch (RuntimeException e) {
      return new Outcome(suite, name, ops, "failed", e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }

  /** The refusal without file and node names: the part after the op's name. */
  static String reason(String m) {
    if (m.contains("opset") && m.contains("is not supported (expected")) {
      return "opset outside " + OnnxModelReader.MIN_OPSET + ".." + OnnxModelReader.MAX_OPSET;
    }
    String r = m.replaceAll(" \\[[a-z]+ hook of [^\\]]*\\]", "");
    int i = r.lastIndexOf("): ");
    if (i >= 0) {
      r = r.substring(i + 3);
    }
    r = r.replaceAll("\\(see docs/onnx.md.*", "").replaceAll("; a plugin can provide.*", "").trim();
    r = r.replaceAll("[,;] found .*$", "").trim();
    if (m.contains("no registered implementation")) {
      return "uses an op outside the set";
    }
    if (m.contains("cannot be mapped")) {
      int k = m.indexOf("op onnx_");
      String op = k >= 0 ? m.substring(k + 8).split(" ")[0] : "an op";
      return "stand-alone " + op + " (only foldable forms are supported)";
    }
    return r.replaceAll("[,;:]\\s*$", "");
  }

  private static String compare(INDArray actual, INDArray expected) {
    long[] as = actual.shape();
    long[] es = expected.shape();
    if (!java.util.Arrays.equals(as, es)) {
      if (actual.length() != expected.length()) {
        return "shape " + java.util.Arrays.toString(as) + ", expected " + java.util.Arrays.toString(es);
      }
      return "shape " + java.util.Arrays.toString(as) + ", expected " + java.util.Arrays.toString(es);
    }
    if (expected.length() == 0) {
      return null;
    }
    INDArray a = actual.castTo(DataType.DOUBLE);
    INDArray e = expected.castTo(DataType.DOUBLE);
    double scale = e.amaxNumber().doubleValue();
    double diff = a.sub(e).amaxNumber().doubleValue();
    if (Double.isNaN(diff) || diff > 1e-4 * scale + 1e-6) {
      return "max |ours - expected| = " + diff + " > 1e-4 * " + scale + " + 1e-6";
    }
    return null;
  }

  static String table(List<Outcome> outcomes, int total) {
    Map<String, int[]> counts = new TreeMap<>();
    Map<String, Map<String, Integer>> reasons = new TreeMap<>();
    for (Outcome o : outcomes) {
      for (String op : o.ops()) {
        int[] c = counts.computeIfAbsent(op, k -> new int[4]);
        c[0]++;
        switch (o.status()) {
          case "passed" -> c[1]++;
          case "failed" -> c[2]++;
          default -> {
            c[3]++;
            reasons.computeIfAbsent(op, k -> new TreeMap<>()).merge(o.reason(), 1, Integer::sum);
          }
        }
      }
    }
    long passed = outcomes.stream().filter(o -> o.status().equals("passed")).count();
    long failed = outcomes.stream().filter(o -> o.status().equals("failed")).count();
    long skipped = outcomes.size() - passed - failed;
    StringBuilder b = new StringBuilder();
    b.append("Cases read: ").append(total).append("; cases whose ops are all in the set: ").append(outcomes.size())
        .append(" (passed ").append(passed).append(", failed ").append(failed).append(", skipped ").append(skipped)
        .append("). A case with several ops counts under each.\n\n");
    b.append("| op | cases | passed | failed | skipped (reason, cases) |\n|---|---|---|---|---|\n");
    counts.forEach((op, c) -> {
      StringBuilder r = new StringBuilder();
      reasons.getOrDefault(op, Map.of()).forEach((k, v) -> r.append(r.length() > 0 ? "; " : "").append(k)
          .append(" (").append(v).append(')'));
      b.append("| ").append(op).append(" | ").append(c[0]).append(" | ").append(c[1]).append(" | ").append(c[2])
          .append(" | ").append(c[3] == 0 ? "0" : c[3] + ": " + r.toString().replace("|", "\\|")).append(" |\n");
    });
    return b.toString();
  }

  private static void updateOrCheck(String table) throws IOException {
    Path doc = OnnxClassifiersTest.repoRoot().resolve("docs/onnx.md");
    String text = Files.readString(doc);
    String start = "<!-- generated:onnx-node-tests:start -->\n";
    String end = "<!-- generated:onnx-node-tests:end -->";
    int s = text.indexOf(start);
    int e = text.indexOf(end);
    assertTrue(s >= 0 && e > s, doc + " must contain the markers of block onnx-node-tests");
    if (Boolean.getBoolean("mrt.docs.update")) {
      Files.writeString(doc, text.substring(0, s + start.length()) + table + text.substring(e));
      return;
    }
    assertEquals(table, text.substring(s + start.length(), e), doc + " is out of date; regenerate with"
        + " -Dtest=OnnxNodeSuiteTest -Dmrt.docs.update=true");
  }
}

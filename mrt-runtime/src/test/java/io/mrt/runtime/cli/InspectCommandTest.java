package io.mrt.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Graph;
import io.mrt.api.graph.Node;
import io.mrt.runtime.io.mxnet.ModelFiles;
import io.mrt.runtime.io.mxnet.MxnetModels;
import io.mrt.runtime.io.mxnet.MxnetSymbol;
import io.mrt.runtime.io.mxnet.NDArrayList;
import io.mrt.runtime.io.mxnet.NDArrayListReader;
import io.mrt.runtime.io.mxnet.NDArrayListWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** {@code mrt inspect} on real models, and every bad input of issue 3 item 6 (exit 2, one message). */
class InspectCommandTest {
  @TempDir
  Path dir;

  private Path models;
  private Path lenetJson;
  private Path lenetParams;

  /** The result of one CLI run. */
  record Run(int code, String out, String err) {}

  /** Runs the CLI with an empty plugins directory, so only the built-in ops are registered. */
  Run run(String... args) throws IOException {
    Files.createDirectories(dir.resolve("no-plugins"));
    String[] all = Arrays.copyOf(args, args.length + 2);
    all[args.length] = "--plugins";
    all[args.length + 1] = dir.resolve("no-plugins").toString();
    return runExactly(all);
  }

  static Run runExactly(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out), new PrintWriter(err));
    return new Run(code, out.toString(), err.toString());
  }

  @BeforeEach
  void copyLenet() throws IOException {
    String shared = io.mrt.runtime.testutil.SharedDir.get().toString();
    models = Path.of(shared, "models");
    lenetJson = dir.resolve("lenet-symbol.json");
    lenetParams = dir.resolve("lenet-0001.params");
    Files.copy(models.resolve("mnist-lenet-fcrc/lenet-symbol.json"), lenetJson);
    Files.copy(models.resolve("mnist-lenet-fcrc/lenet-0001.params"), lenetParams);
  }

  /** Exit code 2, nothing on stdout, and exactly one error line on stderr. */
  private static String badInput(Run r) {
    assertEquals(Main.BAD_INPUT, r.code(), r.err());
    assertEquals("", r.out());
    String[] lines = r.err().strip().split("\n");
    assertEquals(1, lines.length, r.err());
    assertTrue(lines[0].startsWith("error: "), r.err());
    return lines[0].substring("error: ".length());
  }

  @Test
  void printsOpsShapesParameterCountAndMissingHooks() throws IOException {
    Run r = run("inspect", models.resolve("cifar-resnet20-v1").toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("input       data (1, 3, 32, 32)") || r.out().contains("input       data ?"), r.out());
    Run shaped = run("inspect", lenetJson.toString(), "--input-shape", "4,1,28,28");
    assertEquals(0, shaped.code(), shaped.err());
    String out = shaped.out();
    assertTrue(out.contains("input       data (4, 1, 28, 28)"), out);
    assertTrue(out.contains("output      hybridsequential0_dense1_fwd (4, 10)"), out);
    assertTrue(out.contains("parameters  3,682 in 8 arrays"), out);
    assertTrue(out.matches("(?s).*\\n5  hybridsequential0_pool1_fwd +Pooling +\\(4, 5, 4, 4\\)\\s*\\n.*"), out);
    // inferShape forward fuseTranspose rewrite calibrate quantize inferPrecision lowerToCvm
    assertTrue(out.matches("(?s).*\\nFullyConnected +2 +\\S+ +yes +yes +- +yes +- +yes +yes +yes\\s*\\n.*"), out);
    assertTrue(out.contains("no forward hook: none"), out);
  }

  @Test
  void withoutAnInputShapeTheShapesAreUnknown() throws IOException {
    Run r = run("inspect", lenetJson.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("shapes      unknown: give the input shape with --input-shape"), r.out());
  }

  @Test
  void truncatedParamsFile() throws IOException {
    byte[] all = Files.readAllBytes(lenetParams);
    Files.write(lenetParams, Arrays.copyOf(all, 1000));
    String msg = badInput(run("inspect", lenetJson.toString()));
    assertTrue(msg.startsWith(lenetParams + ": byte "), msg);
    assertTrue(msg.contains("truncated file"), msg);
  }

  @Test
  void wrongMagic() throws IOException {
    byte[] all = Files.readAllBytes(lenetParams);
    all[0] = 0x13;
    Files.write(lenetParams, all);
    assertEquals(lenetParams + ": byte 0: wrong magic: expected 0x112 (an MXNet NDArray list / .params file), found "
        + "0x113", badInput(run("inspect", lenetJson.toString())));
  }

  @Test
  void jsonEntryPointingAtALaterNode() throws IOException {
    Files.writeString(lenetJson, Files.readString(lenetJson).replace("[[0, 0, 0], [1, 0, 0], [2, 0, 0]]",
        "[[0, 0, 0], [1, 0, 0], [9, 0, 0]]"));
    assertEquals(lenetJson + ": node 3 (hybridsequential0_conv0_fwd): input 2: entry [9,0,0] points at node 9, which "
        + "comes later (an entry must point at an earlier node)", badInput(run("inspect", lenetJson.toString())));
  }

  @Test
  void jsonEntryPointingAtAMissingNode() throws IOException {
    Files.writeString(lenetJson, Files.readString(lenetJson).replace("\"heads\": [[18, 0, 0]]", "\"heads\": [[40, 0, 0]]"));
    assertEquals(lenetJson + ": heads[0]: entry [40,0,0] points at node 40, which does not exist (the file has 19 "
        + "nodes)", badInput(run("inspect", lenetJson.toString())));
  }

  @Test
  void parameterMissingFromTheParamsFile() throws IOException {
    NDArrayList l = NDArrayListReader.read(lenetParams);
    Map<String, INDArray> m = new LinkedHashMap<>(l.asMap(lenetParams));
    m.remove("arg:hybridsequential0_dense0_bias");
    NDArrayListWriter.write(NDArrayList.of(m), lenetParams);
    assertEquals(lenetParams + ": node hybridsequential0_dense0_bias (a variable of " + lenetJson + "): missing "
        + "parameter: expected 'hybridsequential0_dense0_bias', 'arg:hybridsequential0_dense0_bias' or "
        + "'aux:hybridsequential0_dense0_bias' in the params file, found none",
        badInput(run("inspect", lenetJson.toString())));
  }

  @Test
  void shapeMismatchAgainstTheSymbolsShapeHint() throws IOException {
    Map<String, INDArray> m = new LinkedHashMap<>(NDArrayListReader.read(lenetParams).asMap(lenetParams));
    m.put("arg:hybridsequential0_dense1_weight", Nd4j.zeros(DataType.FLOAT, 9, 32));
    NDArrayListWriter.write(NDArrayList.of(m), lenetParams);
    assertEquals(lenetParams + ": node hybridsequential0_dense1_weight: shape mismatch: " + lenetJson + " declares "
        + "__shape__ (10, 0), the parameter 'arg:hybridsequential0_dense1_weight' has shape (9, 32)",
        badInput(run("inspect", lenetJson.toString())));
  }

  @Test
  void shapeMismatchFoundByShapeInference() throws IOException {
    Node data = Node.variable("data", Attrs.of("__shape__", "(2, 3)"));
    Node w = Node.variable("fc_weight", Attrs.empty());
    Node fc = Node.op("FullyConnected", "fc", Attrs.of("num_hidden", "4", "no_bias", "True"), data.out(), w.out());
    ModelFiles files = new ModelFiles(dir.resolve("fc-symbol.json"), dir.resolve("fc-0000.params"));
    MxnetModels.save(MxnetSymbol.of(Graph.of(fc.out())), Map.of("arg:fc_weight", Nd4j.zeros(DataType.FLOAT, 4, 5)),
        files);
    String msg = badInput(run("inspect", files.symbol().toString()));
    assertTrue(msg.startsWith(files.symbol() + ": node fc (FullyConnected): weight shape must be (4, 3), found (4, 5) "
        + "[inferShape hook of ops-builtin"), msg);
    assertTrue(msg.endsWith("] (input shapes [(2, 3), (4, 5)])"), msg);
  }

  @Test
  void opWithoutARegisteredImplementation() throws IOException {
    Path tanh = models.resolve("mnist-cnn-tanh/mnist-symbol.json");
    assertEquals(tanh + ": node hybridsequential9_conv0_tanh_fwd: no registered implementation of op Activation with "
        + "act_type=tanh; a plugin can provide it (drop its jar into the plugins directory, see `mrt plugins`)",
        badInput(run("inspect", tanh.toString())));
  }

  @Test
  void badInputShapeOption() throws IOException {
    assertEquals("--input-shape: expected dimensions such as 1,3,32,32, found 'a,b'",
        badInput(run("inspect", lenetJson.toString(), "--input-shape", "a,b")));
  }

  @Test
  void printsTheStoragePlanOfACompiledCvmModel() throws IOException {
    Path cvm = dir.resolve("example_cvm");
    io.mrt.runtime.io.cvm.CvmModelWriter.write(cvm, io.mrt.runtime.testutil.CvmExamples.example(), null, null);
    Run r = run("inspect", cvm.toString());
    assertEquals(Main.OK, r.code(), r.err());
    // data [2,4] 8 values, weight 12, bias 3, dense 6, and cvm_right_shift in place over dense
    assertEquals(String.join("\n",
        "cvm model   " + cvm,
        "version     cvm_1.0.0",
        "input       data [2, 4] precision 8",
        "output      0 [2, 3] precision 8",
        "nodes       5 (3 variables, 2 operators), 5 entries",
        "storage     4 storage ids, 116 bytes (without plan: 5 ids, 140 bytes)",
        "params      60 bytes of the storage",
        "activations 56 bytes, 28 per image at batch 2 (without plan: 80, 40 per image)",
        "gas         259",
        "operators   cvm_right_shift 1, dense 1", ""), r.out().replace("\r", ""));
  }

  @Test
  void aCompiledCvmModelThatFailsTheLoadChecksIsOneError() throws IOException {
    Path cvm = dir.resolve("bad_cvm");
    io.mrt.runtime.io.cvm.CvmModelWriter.write(cvm, io.mrt.runtime.testutil.CvmExamples.example(), null, null);
    Files.writeString(cvm.resolve("symbol"), Files.readString(cvm.resolve("symbol")).replace("\"dense\"", "\"dense9\""));
    assertEquals(cvm + ": node 3 'dense_0' (dense9): operator 'dense9' is not registered in the CVM runtime",
        badInput(run("inspect", cvm.toString())).replaceAll(" \\(the 37.*", ""));
  }
}

package io.mrt.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mrt.api.graph.Model;
import io.mrt.runtime.io.mxnet.MxnetModels;
import io.mrt.runtime.io.mxnet.ModelFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The quantization report of the bundled demo model: written by a run with EVALUATE.REPORT, checked
 * as data (JSON), and opened in a real browser (headless Chromium) when one is installed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReportCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

  private Path out;
  private String stdout;
  private JsonNode report;
  private JsonNode oneBatch;
  private String reportCommandOut;

  @BeforeAll
  void runTheDemoWithTheReport() throws IOException {
    Path root = Path.of("").toAbsolutePath();
    while (!Files.exists(root.resolve(DemoCommand.CONFIG))) {
      root = root.getParent();
    }
    out = Path.of("target", "report-test").toAbsolutePath();
    Files.createDirectories(out);
    StringWriter o = new StringWriter();
    StringWriter e = new StringWriter();
    int code = Main.run(new String[] {"run", root.resolve(DemoCommand.CONFIG).toString(),
        "--common.output_dir", out.toString(), "--compile.dump_dir", out.toString(), "--common.run_compile", "false",
        "--calibrate.num_calib", "2", "--evaluate.iter_num", "1", "--evaluate.report", "true",
        "--evaluate.report_images", "32"}, new PrintWriter(o), new PrintWriter(e));
    stdout = o.toString();
    assertEquals(0, code, e + stdout);
    report = JSON.readTree(out.resolve("dapp.report.json").toFile());

    StringWriter o1 = new StringWriter();
    code = Main.run(new String[] {"report", root.resolve(DemoCommand.CONFIG).toString(),
        "--common.output_dir", out.toString(), "--calibrate.num_calib", "1", "--evaluate.report_images", "0"},
        new PrintWriter(o1), new PrintWriter(e));
    assertEquals(0, code, e + o1.toString());
    reportCommandOut = o1.toString();
    oneBatch = JSON.readTree(out.resolve("dapp.report.json").toFile());
    Files.move(out.resolve("dapp.report.json"), out.resolve("dapp.report-one-batch.json"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Files.writeString(out.resolve("dapp.report.json"), report.toString());
  }

  @Test
  void aRunWithEvaluateReportWritesTheHtmlAndJsonBesideTheStageFiles() {
    assertTrue(stdout.contains("quantization report: " + out.resolve("dapp.report.html")), stdout);
    assertTrue(Files.isRegularFile(out.resolve("dapp.report.html")));
    assertEquals("dapp", report.get("model").asText());
    // 2 calibration batches of 16, then 32 test images in batches of 16
    assertEquals(64, report.get("images").asLong());
    assertEquals(4, report.get("batches").asInt());
    assertTrue(report.get("evaluation").get("line").asText().startsWith("dapp: evalfunc: top1="));
  }

  @Test
  void everyOpNodeOfTheCalibratedGraphHasARowInTopologicalOrder() {
    Model calibrated = MxnetModels.loadRunnable(new ModelFiles(out.resolve("dapp.mrt.calibrate.json"),
        out.resolve("dapp.mrt.calibrate.params")));
    List<String> expected = calibrated.graph().ops().stream().map(n -> n.name()).toList();
    List<String> names = new ArrayList<>();
    int i = 0;
    for (JsonNode n : report.get("nodes")) {
      names.add(n.get("name").asText());
      assertEquals(i++, n.get("index").asInt());
      int p = n.get("precision").asInt();
      assertTrue(p >= 1 && p <= 32, n.toString());
      assertTrue(n.get("scale").asDouble() > 0, n.toString());
      assertEquals(io.mrt.runtime.stage.report.ReportBuilder.BINS, n.get("histogram").get("counts").size());
    }
    assertEquals(expected, names);
  }

  @Test
  void theSimulatedIntegerOutputsEqualTheCvmExecutorsOnEveryValue() {
    Matcher m = Pattern.compile("in (\\d+) of (\\d+) values").matcher(report.get("exactness").asText());
    assertTrue(m.find(), report.get("exactness").asText());
    assertEquals(m.group(2), m.group(1));
    assertEquals(16 * 10, Long.parseLong(m.group(2)), "16 images x 10 classes");
  }

  @Test
  void theReportCommandRunsOnTheSavedCalibrationAndSaysWhereItWrote() {
    assertEquals(16, oneBatch.get("images").asLong());
    assertTrue(reportCommandOut.contains("on 16 images: " + out.resolve("dapp.report.html")), reportCommandOut);
    assertTrue(reportCommandOut.contains("data for scripts: " + out.resolve("dapp.report.json")), reportCommandOut);
  }

  @Test
  void theNodeReadingTheInputAddsAllItsErrorItselfSoOnOneBatchItsLocalSqnrEqualsItsSqnr() {
    JsonNode first = oneBatch.get("nodes").get(0);
    assertNotNull(first.get("sqnrDb").numberValue(), first.toString());
    assertEquals(first.get("sqnrDb").asDouble(), first.get("localSqnrDb").asDouble(), 1e-9, first.toString());
  }

  @Test
  void theOutputKeepsTheFloatRankingCloselyAndNoNodeIsWorseThanTenDb() {
    JsonNode nodes = report.get("nodes");
    JsonNode last = nodes.get(nodes.size() - 1);
    assertTrue(last.get("cosine").asDouble() > 0.999, last.toString());
    assertTrue(last.get("sqnrDb").asDouble() > 25, last.toString());
    for (JsonNode n : nodes) {
      if (!n.get("sqnrDb").isNull()) {
        assertTrue(n.get("sqnrDb").asDouble() > 10, n.toString());
      }
      double clipped = n.get("clipped").asDouble();
      assertTrue(clipped >= 0 && clipped < 0.01, n.toString());
    }
  }

  @Test
  void theReportRendersInHeadlessChromiumWithItsTableAndChartsAndNoScriptError() throws Exception {
    assumeTrue(Files.isExecutable(CHROMIUM), "Chromium is not installed (apt-get install chromium; .ci/run does)");
    Path html = out.resolve("dapp.report.html");
    Path profile = Files.createTempDirectory(out, "chromium");
    List<String> common = List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--user-data-dir=" + profile, "--enable-logging=stderr", "--v=0",
        "--virtual-time-budget=10000", "--window-size=1280,2600");
    List<String> dump = new ArrayList<>(common);
    dump.add("--dump-dom");
    dump.add(html.toUri().toString());
    Result r = exec(dump);
    assertEquals(0, r.code, r.err);
    String dom = r.out;
    int nodes = report.get("nodes").size();
    assertTrue(dom.contains("data-rendered=\"" + (1 + Math.min(6, nodes)) + "\""), "the page's script did not finish");
    assertTrue(Pattern.compile("<div id=\"errors\"></div>").matcher(dom).find(), "script errors on the page");
    assertFalse(r.err.contains("Uncaught"), r.err);
    String tbody = dom.substring(dom.indexOf("<tbody>"), dom.indexOf("</tbody>"));
    assertEquals(nodes, tbody.split("<tr", -1).length - 1, "one table row per node");
    assertTrue(count(dom, "<svg") >= 1 + Math.min(6, nodes), "an SVG per chart");
    assertTrue(dom.contains("threshold "), "the histograms mark the threshold");

    List<String> shot = new ArrayList<>(common);
    Path png = Path.of("target", "report-screenshot.png").toAbsolutePath();
    shot.add("--screenshot=" + png);
    shot.add(html.toUri().toString());
    Result s = exec(shot);
    assertEquals(0, s.code, s.err);
    assertTrue(Files.size(png) > 20_000, "a screenshot with content: " + Files.size(png) + " bytes");
  }

  private record Result(int code, String out, String err) {}

  private static Result exec(List<String> cmd) throws Exception {
    Path o = Files.createTempFile("chromium", ".out");
    Path e = Files.createTempFile("chromium", ".err");
    Process p = new ProcessBuilder(cmd).redirectOutput(o.toFile()).redirectError(e.toFile()).start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("chromium did not finish in 120 s: " + cmd);
    }
    return new Result(p.exitValue(), Files.readString(o, StandardCharsets.UTF_8), Files.readString(e, StandardCharsets.UTF_8));
  }

  private static int count(String s, String what) {
    int n = 0;
    for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
      n++;
    }
    return n;
  }
}

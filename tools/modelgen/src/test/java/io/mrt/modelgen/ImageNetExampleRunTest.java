package io.mrt.modelgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mrt.runtime.cli.Main;
import io.mrt.runtime.registry.OpTable;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committed example examples/imagenet/resnet18-v1.yaml, unchanged but for where the model,
 * the data and the outputs are, runs end to end on the first batch (16 images) of
 * data/imagenet-sample with the ResNet-18 v1 this tool writes: every stage runs, evaluate prints
 * MRT's results line and the top-1 agreement of the quantized and the float model, and writes the
 * same count to its JSON report.
 */
@Tag("full")
class ImageNetExampleRunTest {
  @TempDir
  Path dir;

  @Test
  void theExampleConfigRunsEveryStageOnOneBatchAndReportsTheAgreement() throws Exception {
    Path models = dir.resolve("models");
    ModelGen.write(ModelGen.generate("resnet18_v1", ModelGen.SEED, OpTable.load()), models);
    Path config = Path.of("../../examples/imagenet/resnet18-v1.yaml");
    Path data = Path.of(System.getProperty("mrt.shared.dir", "../../../shared")).resolve("data/imagenet-sample");
    Path out = dir.resolve("out");
    StringWriter stdout = new StringWriter();
    StringWriter stderr = new StringWriter();
    int code = Main.run(new String[] {"run", config.toString(), "--common.model_dir", models.toString(),
        "--common.output_dir", out.toString(), "--compile.dump_dir", out.toString(),
        "--calibrate.dataset_dir", data.toString(), "--evaluate.iter_num", "1"},
        new PrintWriter(stdout), new PrintWriter(stderr));
    assertEquals(0, code, stdout + "\n" + stderr);
    List<String> lines = stdout.toString().lines().toList();
    assertEquals(List.of("== prepare resnet18_v1", "== calibrate resnet18_v1", "== quantize resnet18_v1",
        "== evaluate resnet18_v1"), lines.subList(0, 4));
    assertTrue(Pattern.matches("resnet18_v1: evalfunc: top1=[0-9.]+% top5=[0-9.]+% \\| quantize: top1=[0-9.]+% "
        + "top5=[0-9.]+% \\| Total Sample: 16", lines.get(4)), lines.get(4));
    Matcher m = Pattern.compile("resnet18_v1: top1 agreement of float and quantize: ([0-9.]+)% \\(([0-9]+) of 16\\)")
        .matcher(lines.get(5));
    assertTrue(m.matches(), lines.get(5));
    JsonNode report = new ObjectMapper().readTree(out.resolve("resnet18_v1.evaluate.json").toFile());
    assertEquals(16, report.get("total_samples").asLong());
    assertEquals(Long.parseLong(m.group(2)), report.get("top1_agreed").asLong());
    assertEquals(Long.parseLong(m.group(2)) / 16.0, report.get("top1_agreement").asDouble(), 1e-12);
    assertEquals(lines.get(5), report.get("agreement_line").asText());
    assertEquals("== compile resnet18_v1", lines.get(6));
    for (String f : List.of("symbol", "params", "data.npy", "ext")) {
      assertTrue(Files.isRegularFile(out.resolve("resnet18_v1_cvm").resolve(f)), f);
    }
  }
}

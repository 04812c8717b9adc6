package io.mrt.runtime.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mrt.runtime.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mrt plugins} and {@code mrt ops --plugins DIR}. */
class PluginCommandsTest {
  @TempDir
  Path dir;

  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out), new PrintWriter(err));
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void pluginsListsIdVersionRequiredApiStateAndOpsAndTheReasonOfAFailedJar() throws IOException {
    TestJars.plugin(dir, "tanh-like-1.0.0.jar", TestJars.manifest("tanh-like", "^0.1.0"), TanhLikeRegistry.class);
    Files.write(dir.resolve("broken.jar"), "not a zip".getBytes(StandardCharsets.UTF_8));
    Run r = run("plugins", "--plugins", dir.toString());
    assertEquals(0, r.code(), r.err());
    List<String> lines = r.out().lines().toList();
    assertEquals("plugins directory: " + dir + " (--plugins)", lines.get(0));
    assertEquals("mrt-api version: 0.1.0", lines.get(1));
    assertEquals(List.of(
        "ID         VERSION  REQUIRES  STATE   JAR                  OPS                        DATA SETS",
        "-          -        -         failed  broken.jar           -                          -",
        "tanh-like  1.0.0    ^0.1.0    loaded  tanh-like-1.0.0.jar  Activation[act_type=tanh]  -"),
        lines.subList(3, 6));
    assertEquals("failed (skipped; the other plugins load normally):", lines.get(7));
    assertTrue(lines.get(8).startsWith("  broken.jar: not a readable jar file ("), lines.get(8));
  }

  @Test
  void pluginsShowsClashesThatWouldStopARun() {
    TestJars.plugin(dir, "flat.jar", TestJars.manifest("flat", "^0.1.0"), FlattenRegistry.class);
    Run r = run("plugins", "--plugins", dir.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("op clashes (a run stops on these unless COMMON.OP_PROVIDERS chooses a provider):\n"
        + "  op Flatten is provided by both ops-builtin"), r.out());
  }

  @Test
  void pluginsWithAnEmptyDirectorySaysSo() {
    Run r = run("plugins", "--plugins", dir.toString());
    assertEquals(0, r.code());
    assertTrue(r.out().endsWith("no plugins\n"), r.out());
  }

  @Test
  void opsMarksWhichPluginAndJarEachOpComesFrom() {
    TestJars.plugin(dir, "tanh-like-1.0.0.jar", TestJars.manifest("tanh-like", "^0.1.0"), TanhLikeRegistry.class);
    Run r = run("ops", "--plugins", dir.toString());
    assertEquals(0, r.code(), r.err());
    String row = r.out().lines().filter(l -> l.startsWith("Activation[act_type=tanh]")).findFirst().orElseThrow();
    assertEquals(List.of("Activation[act_type=tanh]", "tanh-like-1.0.0.jar", "tanh-like", "inferShape,forward"),
        List.of(row.split("\\s+")));
    String flatten = r.out().lines().filter(l -> l.startsWith("Flatten")).findFirst().orElseThrow();
    assertTrue(flatten.matches("Flatten\\s+ops-builtin\\S*\\s+-\\s+.*"), flatten);
  }

  @Test
  void opsStopsOnAClashWithExitCodeTwoNamingBothJars() {
    TestJars.plugin(dir, "flat.jar", TestJars.manifest("flat", "^0.1.0"), FlattenRegistry.class);
    Run r = run("ops", "--plugins", dir.toString());
    assertEquals(2, r.code());
    assertTrue(r.err().startsWith("error: op Flatten is provided by both ops-builtin"), r.err());
    assertTrue(r.err().contains("and plugin flat (flat.jar)"), r.err());
  }

  @Test
  void theRepositoryPluginsSourceFolderIsRefusedAsAPluginsDirectory() throws IOException {
    Files.writeString(dir.resolve("pom.xml"), "<project/>");
    Run r = run("plugins", "--plugins", dir.toString());
    assertEquals(2, r.code());
    assertTrue(r.err().startsWith("error: plugins directory " + dir + " (from --plugins) is a Maven source folder"),
        r.err());
  }
}

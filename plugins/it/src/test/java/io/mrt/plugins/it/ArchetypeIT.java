package io.mrt.plugins.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mrt.runtime.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The op-plugin archetype as an operator author uses it: {@code mvn archetype:generate ...
 * -DopName=Softsign} gives a project whose {@code mvn package} runs its generated tests and builds
 * a plugin jar, which {@code mrt plugins} then loads from a plugins directory.
 *
 * <p>The nested Maven builds use a local repository of their own ({@code target/it-repo}, where the
 * build put this reactor's artifacts: mrt-parent, mrt-plugin-parent, mrt-api, mrt-annotations, mrt-testing,
 * mrt-processor and the archetype), and read the other artifacts from the outer build's local
 * repository (then Maven Central), so they never write into the outer one.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ArchetypeIT {
  private static final String VERSION = System.getProperty("mrt.version");

  @TempDir
  static Path work;

  static Path settings;

  private record Result(int code, String out) {}

  @BeforeAll
  static void writeSettings() throws IOException {
    Path itRepo = Path.of(System.getProperty("mrt.it.repo")).toAbsolutePath();
    Path buildRepo = Path.of(System.getProperty("mrt.build.repo")).toAbsolutePath();
    assertTrue(Files.isRegularFile(itRepo.resolve("io/mrt/mrt-plugin-archetype/" + VERSION + "/mrt-plugin-archetype-"
        + VERSION + ".jar")), "the archetype is in " + itRepo);
    String repo = """
              <id>%2$s</id><url>%3$s</url>
              <releases><enabled>true</enabled></releases><snapshots><enabled>%4$s</enabled></snapshots>
        """;
    String outer = repo.formatted("", "build-local-repository", buildRepo.toUri(), "false");
    settings = Files.writeString(work.resolve("settings.xml"), """
        <settings>
          <localRepository>%s</localRepository>
          <profiles><profile><id>build-repositories</id>
            <repositories><repository>
        %s      </repository></repositories>
            <pluginRepositories><pluginRepository>
        %s      </pluginRepository></pluginRepositories>
          </profile></profiles>
          <activeProfiles><activeProfile>build-repositories</activeProfile></activeProfiles>
        </settings>
        """.formatted(itRepo, outer, outer));
  }

  private static Result mvn(Path dir, String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("mrt.maven.home"), "bin", "mvn").toString());
    cmd.addAll(List.of("-B", "-s", settings.toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(20, TimeUnit.MINUTES), "mvn finished");
    return new Result(p.exitValue(), out);
  }

  private static Path project() {
    return work.resolve("mrt-plugin-softsign");
  }

  @Test
  @Order(1)
  void archetypeGenerateWithOpNameSoftsignWritesTheProject() throws Exception {
    Result r = mvn(work, "org.apache.maven.plugins:maven-archetype-plugin:" + System.getProperty("mrt.archetype.version",
        "3.4.1") + ":generate", "-DarchetypeGroupId=io.mrt", "-DarchetypeArtifactId=mrt-plugin-archetype",
        "-DarchetypeVersion=" + VERSION, "-DopName=Softsign");
    assertEquals(0, r.code(), r.out());
    for (String f : List.of("pom.xml", "README.md", "src/main/java/com/example/mrt/softsign/Softsign.java",
        "src/main/java/com/example/mrt/softsign/package-info.java",
        "src/test/java/com/example/mrt/softsign/SoftsignTest.java",
        "src/test/java/com/example/mrt/softsign/PluginArchitectureTest.java")) {
      assertTrue(Files.isRegularFile(project().resolve(f)), f + " generated\n" + r.out());
    }
    String pom = Files.readString(project().resolve("pom.xml"));
    assertTrue(pom.startsWith("<?xml"), pom);
    assertTrue(pom.contains("<plugin.id>softsign</plugin.id>"), pom);
    assertTrue(pom.contains("<mrt.version>" + VERSION + "</mrt.version>"), pom);
    assertTrue(pom.contains("<mrt.registry.class>com.example.mrt.softsign.SoftsignOpRegistry</mrt.registry.class>"), pom);
    assertTrue(pom.contains("<artifactId>mrt-plugin-parent</artifactId>\n    <version>" + VERSION + "</version>"), pom);
    String op = Files.readString(project().resolve("src/main/java/com/example/mrt/softsign/Softsign.java"));
    assertTrue(op.startsWith("package com.example.mrt.softsign;"), op);
    assertTrue(op.contains("@MrtOp(value = {\"Activation\", \"softsign\"}, when = @When(attr = \"act_type\", equals = "
        + "\"softsign\"),"), op);
  }

  @Test
  @Order(2)
  void mvnPackageRunsTheGeneratedTestsAndBuildsThePluginJarThatMrtPluginsLoads() throws Exception {
    Result r = mvn(project(), "package");
    assertEquals(0, r.code(), r.out());
    assertTrue(r.out().contains("Tests run: 3, Failures: 0, Errors: 0, Skipped: 0, Time elapsed")
        && r.out().contains("-- in com.example.mrt.softsign.SoftsignTest"), r.out());
    assertTrue(r.out().contains("Tests run: 5, Failures: 0, Errors: 0, Skipped: 0\n"), r.out());
    Path jar = project().resolve("target/mrt-plugin-softsign-1.0.0-SNAPSHOT.jar");
    assertTrue(Files.isRegularFile(jar), jar + "\n" + r.out());

    Path plugins = Files.createDirectories(work.resolve("plugins"));
    Files.copy(jar, plugins.resolve(jar.getFileName()));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    assertEquals(0, Main.run(new String[] {"plugins", "--plugins", plugins.toString()}, new PrintWriter(out),
        new PrintWriter(err)), err.toString());
    List<String> lines = out.toString().lines().toList();
    assertTrue(lines.contains("softsign  1.0.0-SNAPSHOT  ^0.1.0    loaded  mrt-plugin-softsign-1.0.0-SNAPSHOT.jar  "
        + "Activation[act_type=softsign]  -"), out.toString());
  }
}

package io.mrt.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The binary distribution built by {@code mvn package}: the .tar.gz unpacks (with tar, as a user
 * would) to {@code mrt-VERSION/} and its {@code bin/mrt demo} runs end to end with a PATH that
 * holds only the Java 17 runtime (no Maven); the .zip holds the same files; bin/mrt refuses an
 * older Java and names the version it needs.
 */
class DistributionIT {
  private static final String VERSION = System.getProperty("mrt.version");
  private static final Path TARGET = Path.of(System.getProperty("mrt.distribution.dir", "target"));

  @TempDir
  static Path unpacked;

  static Path home;

  private record Result(int code, String out) {}

  @BeforeAll
  static void unpackTheTarGz() throws Exception {
    Path tgz = TARGET.resolve("mrt-" + VERSION + ".tar.gz");
    assertTrue(Files.isRegularFile(tgz), tgz + " is built by mvn package");
    Process p = new ProcessBuilder("tar", "-xzf", tgz.toAbsolutePath().toString()).directory(unpacked.toFile())
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), out);
    home = unpacked.resolve("mrt-" + VERSION);
  }

  private static Result run(Map<String, String> env, String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(home.resolve("bin/mrt").toString());
    cmd.addAll(List.of(args));
    ProcessBuilder b = new ProcessBuilder(cmd).directory(unpacked.toFile()).redirectErrorStream(true);
    b.environment().clear();
    b.environment().putAll(env);
    Process p = b.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(10, TimeUnit.MINUTES), "bin/mrt finished");
    return new Result(p.exitValue(), out);
  }

  /** Only the running JVM's bin folder on the PATH: no mvn, no other tool. */
  private static Map<String, String> javaOnlyPath() {
    return Map.of("PATH", Path.of(System.getProperty("java.home"), "bin").toString(),
        "HOME", unpacked.toString());
  }

  @Test
  void theArchiveHoldsTheLauncherTheJarsAndTheDemo() throws IOException {
    Path mrt = home.resolve("bin/mrt");
    assertTrue(Files.getPosixFilePermissions(mrt).contains(PosixFilePermission.OWNER_EXECUTE), "bin/mrt is executable");
    for (String jar : List.of("mrt-runtime-" + VERSION + ".jar", "ops-builtin-" + VERSION + ".jar",
        "mrt-api-" + VERSION + ".jar")) {
      assertTrue(Files.isRegularFile(home.resolve("lib").resolve(jar)), "lib/" + jar);
    }
    for (String f : List.of("demo/mnist-dapp.yaml", "demo/mnist-dapp/dapp-symbol.json", "demo/mnist-dapp/dapp-0000.params",
        "demo/data/mnist/t10k-images-idx3-ubyte.gz", "demo/data/mnist/t10k-labels-idx1-ubyte.gz", "README.md")) {
      assertTrue(Files.isRegularFile(home.resolve(f)), f);
    }
  }

  @Test
  void theZipHoldsTheSameFilesAsTheTarGz() throws Exception {
    TreeSet<String> inZip = new TreeSet<>();
    try (ZipFile zip = new ZipFile(TARGET.resolve("mrt-" + VERSION + ".zip").toFile())) {
      zip.stream().filter(e -> !e.isDirectory()).map(ZipEntry::getName).forEach(inZip::add);
    }
    Process p = new ProcessBuilder("tar", "-tzf", TARGET.resolve("mrt-" + VERSION + ".tar.gz").toAbsolutePath().toString())
        .redirectErrorStream(true).start();
    TreeSet<String> inTar = new TreeSet<>();
    new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.endsWith("/"))
        .forEach(inTar::add);
    assertEquals(0, p.waitFor());
    assertTrue(inTar.contains("mrt-" + VERSION + "/bin/mrt"), inTar.toString());
    assertEquals(inTar, inZip);
  }

  @Test
  void binMrtRunsTheDemoEndToEndWithOnlyJavaOnThePath() throws Exception {
    Result r = run(javaOnlyPath(), "demo", "--evaluate.iter_num", "5");
    assertEquals(0, r.code(), r.out());
    Matcher m = Pattern.compile("dapp: evalfunc: top1=([0-9.]+)% .* quantize: top1=([0-9.]+)% .* Total Sample: 500")
        .matcher(r.out());
    assertTrue(m.find(), r.out());
    double floatTop1 = Double.parseDouble(m.group(1));
    double quantTop1 = Double.parseDouble(m.group(2));
    assertTrue(Math.abs(floatTop1 - quantTop1) <= 1.0, r.out());
    Path cvm = home.resolve("mrt-out/demo/dapp_cvm");
    for (String f : List.of("symbol", "params", "data.npy", "ext")) {
      assertTrue(Files.isRegularFile(cvm.resolve(f)), f + " in " + cvm + "\n" + r.out());
    }
  }

  @Test
  void binMrtOpsListsTheBuiltInOperators() throws Exception {
    Result r = run(javaOnlyPath(), "ops");
    assertEquals(0, r.code(), r.out());
    for (String op : List.of("Convolution", "FullyConnected", "Pooling")) {
      assertTrue(r.out().contains(op), op + " in\n" + r.out());
    }
  }

  @Test
  void binMrtRefusesJavaOlderThan17AndSaysWhichItNeeds() throws Exception {
    Path fakeHome = unpacked.resolve("old-java");
    Path java = fakeHome.resolve("bin/java");
    Files.createDirectories(java.getParent());
    Files.writeString(java, "#!/bin/sh\necho 'openjdk version \"11.0.21\" 2023-10-17' >&2\n");
    java.toFile().setExecutable(true);
    Result r = run(Map.of("JAVA_HOME", fakeHome.toString(), "PATH", fakeHome.resolve("bin").toString()), "demo");
    assertEquals(1, r.code(), r.out());
    assertEquals("mrt: needs Java 17 or newer; " + java + " is Java 11.0.21 (set JAVA_HOME to a Java 17+ installation)\n",
        r.out());
  }

  @Test
  void binMrtReadsTheOldOneDotVersionScheme() throws Exception {
    Path fakeHome = unpacked.resolve("java8");
    Path java = fakeHome.resolve("bin/java");
    Files.createDirectories(java.getParent());
    Files.writeString(java, "#!/bin/sh\necho 'java version \"1.8.0_392\"' >&2\n");
    java.toFile().setExecutable(true);
    Result r = run(Map.of("JAVA_HOME", fakeHome.toString()), "--help");
    assertEquals(1, r.code(), r.out());
    assertEquals("mrt: needs Java 17 or newer; " + java + " is Java 1.8.0_392 (set JAVA_HOME to a Java 17+ installation)\n",
        r.out());
  }
}

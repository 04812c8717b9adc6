package io.mrt.plugins.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/** The plugin jars that the reactor built, and copies of them for the fault tests. */
final class PluginJars {
  static final String TANH = "mrt-plugin-tanh";
  static final String HARD_SIGMOID = "mrt-plugin-hard-sigmoid";
  static final String TEMPLATE = "mrt-plugin-template";
  static final String MNIST_CSV = "mrt-plugin-mnist-csv";

  private PluginJars() {}

  /** The folder the build copied the plugin jars into (system property {@code mrt.plugin.jars}). */
  static Path builtDir() {
    String dir = System.getProperty("mrt.plugin.jars");
    if (dir == null) {
      throw new IllegalStateException("system property mrt.plugin.jars is not set; run the tests with "
          + "`mvn verify` (failsafe sets it after the plugins are packaged)");
    }
    return Path.of(dir);
  }

  /** The jar of the plugin module {@code artifactId}, as the reactor built it. */
  static Path built(String artifactId) {
    try (Stream<Path> files = Files.list(builtDir())) {
      List<Path> jars = files.filter(f -> f.getFileName().toString().startsWith(artifactId + "-")
          && f.getFileName().toString().endsWith(".jar")).toList();
      if (jars.size() != 1) {
        throw new IllegalStateException("expected one jar of " + artifactId + " in " + builtDir() + ", found " + jars);
      }
      return jars.get(0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Copies the built jars of the given modules into {@code dir}; returns the copies. */
  static List<Path> install(Path dir, String... artifactIds) {
    List<Path> out = new ArrayList<>();
    for (String a : artifactIds) {
      Path src = built(a);
      try {
        out.add(Files.copy(src, dir.resolve(src.getFileName())));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return out;
  }

  /** A copy of {@code jar} at {@code target} whose manifest has the given main attributes replaced. */
  static Path withManifest(Path jar, Path target, Map<String, String> attributes) {
    try (JarFile in = new JarFile(jar.toFile())) {
      Manifest mf = new Manifest(in.getManifest());
      attributes.forEach((k, v) -> mf.getMainAttributes().put(new Attributes.Name(k), v));
      try (OutputStream os = Files.newOutputStream(target); JarOutputStream out = new JarOutputStream(os, mf)) {
        Enumeration<JarEntry> entries = in.entries();
        while (entries.hasMoreElements()) {
          JarEntry e = entries.nextElement();
          if (e.getName().equals(JarFile.MANIFEST_NAME)) {
            continue;
          }
          out.putNextEntry(new JarEntry(e.getName()));
          try (InputStream is = in.getInputStream(e)) {
            is.transferTo(out);
          }
          out.closeEntry();
        }
      }
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The jar (or class folder) a class was loaded from. */
  static Path locationOf(Class<?> c) {
    try {
      return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
